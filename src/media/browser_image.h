// BrowserImage: originals browsers cannot show (HEIC/HEIF, AVIF, TIFF, camera RAW, BMP)
// re-encoded for /images (backend-spec §1.4.2: PhotoMapAI serves HEIC as an EXIF-transposed PNG).
//
// Decodes at full size (upright, alpha kept), then encodes PNG (lossless, PhotoMapAI parity) or
// JPEG (quality 90, alpha composited on white; far smaller for photos). Stateless, thread-safe.
#pragma once

#include <string>

#include "media/media_limits.h"
#include "util/status.h"

namespace photomap::media {

enum class BrowserFormat { kPng, kJpeg };

struct BrowserImage {
  std::string bytes;
  std::string mime_type;  // "image/png" or "image/jpeg"
};

// True when browsers need `path` converted: .heic .heif .avif .tif .tiff .bmp and RAW suffixes.
bool NeedsBrowserConversion(const std::string& path);

// Decodes `path` and encodes it in `format`. Errors: those of the decoder (NotFound,
// InvalidInput, Unsupported, TooLarge, Corrupt); Internal if encoding fails.
Result<BrowserImage> ConvertForBrowser(const std::string& path, BrowserFormat format,
                                       const DecodeLimits& limits = {});

}  // namespace photomap::media
