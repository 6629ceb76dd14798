// PIL-compatible resampling (Pillow's ImagingResample) for RGB8 images.
//
// Separable, horizontal pass first then vertical, each pass convolving with the filter stretched
// by the downscale factor (so shrinking is antialiased), coefficients normalised to sum 1 then
// quantised to 22-bit fixed point, and each pass rounded and clamped back to 8 bits exactly as
// Pillow does. Bit-exact with PIL.Image.resize(size, BICUBIC / BILINEAR) for RGB images with
// the default box. Pure function; thread-safe.
#pragma once

#include <cstddef>  // util/image.h uses size_t without including it

#include "util/image.h"

namespace photomap::model {

enum class ResampleFilter {
  kBilinear,  // PIL 2: triangle, support 1
  kBicubic,   // PIL 3: cubic with a = -0.5, support 2
};

// Returns `image` resized to width x height.
// Requires: !image.empty(), image.pixels.size() == width*height*3 of the input, width > 0,
// height > 0.
RgbImage ResamplePil(const RgbImage& image, int width, int height, ResampleFilter filter);

// The window [x0, x0 + region_width) x [y0, y0 + region_height) of ResamplePil(image, width,
// height, filter), computed without the rest: identical pixels, and a resize followed by a
// centre crop costs only the crop (an extreme panorama cannot blow up memory).
// Requires: as ResamplePil, plus 0 <= x0, x0 + region_width <= width, 0 <= y0,
// y0 + region_height <= height, region sizes > 0.
RgbImage ResamplePilRegion(const RgbImage& image, int width, int height, ResampleFilter filter,
                           int x0, int y0, int region_width, int region_height);

}  // namespace photomap::model
