// ReadWholeFile: a file's bytes in memory, for the decoders that take a buffer (BMP, the fast
// JPEG and PNG loaders). One open, one fstat, pread until done. Thread-safe.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "util/status.h"

namespace photomap::media {

// Returns the whole content of `path`.
// Errors: NotFound/Io when it cannot be opened or read (message starts with the path); TooLarge
// when it holds more than max_bytes (nothing is read then).
Result<std::vector<uint8_t>> ReadWholeFile(const std::string& path, uint64_t max_bytes);

}  // namespace photomap::media
