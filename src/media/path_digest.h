// BLAKE2b digests (libb2) as lower-case hex, for cache file names.
//
// Matches Python's hashlib.blake2b(data, digest_size=n).hexdigest() and `b2sum -l 8n`.
// Pure function, thread-safe.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace photomap::media {

// Returns the hex BLAKE2b digest of `data` with `digest_bytes` (1..64) output bytes; 16 gives
// BLAKE2b-128 ("" -> cae66941d9efbd404e4d88758ea67670). Returns "" for an invalid digest size.
std::string Blake2bHex(std::string_view data, size_t digest_bytes);

}  // namespace photomap::media
