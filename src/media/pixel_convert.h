// Pixel conversion to photomap's one pixel format: 8-bit sRGB, optionally with alpha.
//
// Handles every band layout the loaders produce: grey, grey+alpha, RGB, RGBA, CMYK (via
// libvips' CMYK profile), 16-bit, float, and odd multiband images (first bands kept). Embedded
// ICC profiles of RGB images are NOT applied, as Pillow (and so PhotoMapAI's embeddings) does not
// apply them. Thread-safe.
#pragma once

#include <array>
#include <cstdint>

#include "media/vips_handle.h"
#include "util/image.h"
#include "util/status.h"

namespace photomap::media {

using Rgb8 = std::array<uint8_t, 3>;

// Returns `in` as 8-bit sRGB with 3 bands, or 4 (straight alpha last) when `keep_alpha` and the
// image has an alpha channel. Without keep_alpha, alpha is composited over `background`.
// Lazy: nothing is decoded yet. Internal error only when libvips refuses an operation.
Result<VipsImagePtr> ToSrgb8(VipsImage* in, bool keep_alpha, Rgb8 background = {255, 255, 255});

// Decodes `rgb8` (3-band uchar, as ToSrgb8 makes) into an RgbImage. This is where pixels are
// produced, so Corrupt errors for truncated or damaged data appear here, prefixed by `label`.
Result<RgbImage> MaterialiseRgb(VipsImage* rgb8, const std::string& label);

}  // namespace photomap::media
