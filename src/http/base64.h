// Strict base64 decoding (RFC 4648 alphabet, optional '=' padding, ASCII whitespace ignored)
// for uploaded query images. Pure function; thread-safe.
#pragma once

#include <cstdint>
#include <string_view>
#include <vector>

#include "util/status.h"

namespace photomap::http {

// Returns the decoded bytes. Errors: InvalidInput naming the first bad character's offset, or a
// length that is not a whole number of base64 quanta.
Result<std::vector<uint8_t>> DecodeBase64(std::string_view text);

}  // namespace photomap::http
