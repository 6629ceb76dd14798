// BmpDecoder: Windows BMP files, which PhotoMapAI indexes but libvips 8.14 can only read through
// ImageMagick (blocked as untrusted). Handles what cameras, scanners and Paint write: BI_RGB at
// 1/4/8/24/32 bits per pixel and BI_BITFIELDS at 16/32, bottom-up or top-down. RLE and embedded
// JPEG/PNG BMPs are Unsupported. Every read is bounds-checked; pure and thread-safe.
#pragma once

#include <cstdint>
#include <span>

#include "media/media_limits.h"
#include "util/image.h"
#include "util/status.h"

namespace photomap::media {

// Decodes BMP bytes to RGB8 (alpha of 32-bit files is ignored).
// Errors: Corrupt (truncated or inconsistent header), Unsupported (compression or bit depth),
// TooLarge (width x height over limits.max_pixels).
Result<RgbImage> DecodeBmp(std::span<const uint8_t> bytes, const DecodeLimits& limits);

}  // namespace photomap::media
