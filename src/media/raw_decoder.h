// RawDecoder: camera RAW files (DNG, CR2, CR3, NEF, ARW, ORF, RW2, RAF) through LibRaw (libraw_r).
//
// libvips would read a DNG as its raw sensor mosaic, so RAW never goes through it. The decoder
// prefers the embedded JPEG preview when its short side is large enough for the caller, else it
// develops the sensor data at half size (dcraw_process with half_size, camera white balance,
// 8-bit sRGB output). Each call uses its own LibRaw object, so calls are thread-safe.
#pragma once

#include <cstdint>
#include <span>
#include <string>

#include "media/media_limits.h"
#include "util/image.h"
#include "util/status.h"

namespace photomap::media {

struct RawImage {
  // Either the embedded preview as JPEG bytes (with the EXIF orientation to apply to it) ...
  std::string jpeg_preview;
  int preview_orientation = 1;
  // ... or, when jpeg_preview is empty, the developed picture, already upright.
  RgbImage developed;
  // Full developed size, upright, for callers that size thumbnails from it.
  int64_t full_width = 0;
  int64_t full_height = 0;
};

// Decodes the RAW file at `path`. A preview is used when its short side is >= min_short_side
// (0: always use a preview when there is one).
// Errors: NotFound/Io when unreadable; Unsupported when LibRaw does not know the file; TooLarge
// when the sensor exceeds limits.max_pixels; Corrupt when unpacking or developing fails.
Result<RawImage> DecodeRawFile(const std::string& path, int64_t min_short_side,
                               const DecodeLimits& limits);

// The same for RAW bytes in memory (the span must outlive the call only).
Result<RawImage> DecodeRawBuffer(std::span<const uint8_t> bytes, int64_t min_short_side,
                                 const DecodeLimits& limits);

}  // namespace photomap::media
