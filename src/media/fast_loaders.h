// Fast loaders: photomap's own decoders for the two commonest cases, wrapped as upright libvips
// images for image_loader. A JPEG whose shrink-on-load is 1/8 is decoded from its DC
// coefficients (jpeg_eighth_decoder.h); an 8-bit PNG is inflated by libdeflate and box-shrunk as
// it is unfiltered (png_fast_decoder.h). Both give libvips' own results (bit for bit, or within
// the rounding documented there) several times faster. Each returns null when its decoder
// declines the file, a kind it does not handle or damage, and the caller then loads it through
// libvips, whose error message is the one shown for a damaged file. Thread-safe.
#pragma once

#include <cstdint>
#include <span>
#include <string>

#include "media/media_limits.h"
#include "media/vips_handle.h"

namespace photomap::media {

// Whether image_loader uses these loaders. On by default; PHOTOMAP_FAST_DECODERS=0 in the
// environment turns them off. For tests and benchmarks that compare with libvips' decoders;
// process-wide, safe to call at any time.
void UseFastDecoders(bool enabled);
bool FastDecodersEnabled();

// The image in `path` (or, when path is empty, in `bytes`) at 1/8 of its stored size, then
// rotated by the EXIF `orientation` (1..8).
VipsImagePtr LoadJpegEighthScale(const std::string& path, std::span<const uint8_t> bytes,
                                 int orientation, const DecodeLimits& limits);

// The PNG in `path` (or `bytes`) box-shrunk by `shrink` (>= 1) as vips_shrink would, then
// rotated by the EXIF `orientation`.
VipsImagePtr LoadPngFast(const std::string& path, std::span<const uint8_t> bytes, int shrink,
                         int orientation, const DecodeLimits& limits);

}  // namespace photomap::media
