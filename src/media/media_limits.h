// Limits that keep hostile or huge inputs from exhausting memory.
//
// Checked against the header before any pixel is decoded, so a 50,000 x 50,000 PNG is refused
// after reading a few hundred bytes. Plain value type.
#pragma once

#include <cstddef>
#include <cstdint>

namespace photomap::media {

struct DecodeLimits {
  // Largest accepted stored width x height. Default: Pillow's DecompressionBombError threshold
  // (2 x Image.MAX_IMAGE_PIXELS), so photomap refuses what PhotoMapAI refuses; 100 MP medium-format
  // photos still pass.
  int64_t max_pixels = 178'956'970;
  // Largest accepted in-memory image (search-by-image uploads).
  size_t max_buffer_bytes = size_t{64} << 20;
};

}  // namespace photomap::media
