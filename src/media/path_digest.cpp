#include "media/path_digest.h"

#include <blake2.h>

#include <cstdint>

namespace photomap::media {

std::string Blake2bHex(std::string_view data, size_t digest_bytes) {
  if (digest_bytes == 0 || digest_bytes > BLAKE2B_OUTBYTES) return "";
  uint8_t out[BLAKE2B_OUTBYTES];
  // libb2 argument order: out, in, key, outlen, inlen, keylen.
  if (blake2b(out, data.data(), nullptr, digest_bytes, data.size(), 0) != 0) return "";
  static const char* kHex = "0123456789abcdef";
  std::string hex(digest_bytes * 2, '0');
  for (size_t i = 0; i < digest_bytes; ++i) {
    hex[2 * i] = kHex[out[i] >> 4];
    hex[2 * i + 1] = kHex[out[i] & 15];
  }
  return hex;
}

}  // namespace photomap::media
