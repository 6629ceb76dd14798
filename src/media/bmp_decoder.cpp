#include "media/bmp_decoder.h"

#include <bit>
#include <cstring>
#include <string>

namespace photomap::media {
namespace {

uint32_t U16(const uint8_t* p) { return p[0] | (uint32_t{p[1]} << 8); }
uint32_t U32(const uint8_t* p) { return U16(p) | (U16(p + 2) << 16); }

// Extracts the channel selected by `mask` from `v` and scales it to 0..255.
uint8_t Channel(uint32_t v, uint32_t mask) {
  if (mask == 0) return 0;
  int shift = std::countr_zero(mask);
  uint32_t max = mask >> shift;
  return static_cast<uint8_t>(((v & mask) >> shift) * 255 / max);
}

}  // namespace

Result<RgbImage> DecodeBmp(std::span<const uint8_t> b, const DecodeLimits& limits) {
  if (b.size() < 26 || b[0] != 'B' || b[1] != 'M') return Corrupt("BMP header is truncated");
  uint32_t data_offset = U32(&b[10]);
  uint32_t header_size = U32(&b[14]);
  if (header_size < 40 || b.size() < 14 + uint64_t{header_size}) {
    return Unsupported("BMP header version " + std::to_string(header_size) + " is not supported");
  }
  int64_t width = static_cast<int32_t>(U32(&b[18]));
  int64_t height = static_cast<int32_t>(U32(&b[22]));
  uint32_t bpp = U16(&b[28]);
  uint32_t compression = U32(&b[30]);
  bool top_down = height < 0;
  if (top_down) height = -height;
  if (width <= 0 || height <= 0) return Corrupt("BMP has no pixels");
  if (width * height > limits.max_pixels) {
    return TooLarge("BMP of " + std::to_string(width) + "x" + std::to_string(height) +
                    " pixels exceeds the pixel limit");
  }
  uint32_t masks[3] = {0x00FF0000, 0x0000FF00, 0x000000FF};
  if (bpp == 16) masks[0] = 0x7C00, masks[1] = 0x03E0, masks[2] = 0x001F;
  if (compression == 3) {  // BI_BITFIELDS: masks follow a 40-byte header, or sit inside v4/v5
    if (b.size() < 54 + 12) return Corrupt("BMP bit masks are truncated");
    for (int i = 0; i < 3; ++i) masks[i] = U32(&b[54 + 4 * i]);
  } else if (compression != 0) {
    return Unsupported("compressed BMP (type " + std::to_string(compression) +
                       ") is not supported");
  }
  if (bpp != 1 && bpp != 4 && bpp != 8 && bpp != 16 && bpp != 24 && bpp != 32) {
    return Unsupported("BMP with " + std::to_string(bpp) + " bits per pixel is not supported");
  }
  if (compression == 3 && bpp != 16 && bpp != 32) return Corrupt("BMP bit masks need 16 or 32 bpp");

  uint32_t palette_size = 0;
  const uint8_t* palette = nullptr;
  if (bpp <= 8) {
    palette_size = U32(&b[46]);
    if (palette_size == 0 || palette_size > (1u << bpp)) palette_size = 1u << bpp;
    uint64_t palette_at = 14 + uint64_t{header_size};
    if (palette_at + 4ull * palette_size > b.size()) return Corrupt("BMP palette is truncated");
    palette = &b[palette_at];
  }
  uint64_t stride = ((uint64_t(width) * bpp + 31) / 32) * 4;
  if (data_offset > b.size() || stride * height > b.size() - data_offset) {
    return Corrupt("BMP pixel data is truncated");
  }
  RgbImage out;
  out.width = static_cast<int>(width);
  out.height = static_cast<int>(height);
  out.pixels.resize(static_cast<size_t>(width * height * 3));
  for (int64_t y = 0; y < height; ++y) {
    const uint8_t* row = &b[data_offset + stride * (top_down ? y : height - 1 - y)];
    uint8_t* dst = &out.pixels[static_cast<size_t>(y * width * 3)];
    for (int64_t x = 0; x < width; ++x, dst += 3) {
      if (bpp <= 8) {
        uint32_t bit = static_cast<uint32_t>(x) * bpp;
        uint32_t index = (row[bit / 8] >> (8 - bpp - bit % 8)) & ((1u << bpp) - 1);
        if (index >= palette_size) index = 0;
        const uint8_t* c = palette + 4 * index;  // B, G, R, reserved
        dst[0] = c[2], dst[1] = c[1], dst[2] = c[0];
      } else if (bpp == 24) {
        const uint8_t* c = row + 3 * x;
        dst[0] = c[2], dst[1] = c[1], dst[2] = c[0];
      } else {
        uint32_t v = bpp == 16 ? U16(row + 2 * x) : U32(row + 4 * x);
        for (int i = 0; i < 3; ++i) dst[i] = Channel(v, masks[i]);
      }
    }
  }
  return out;
}

}  // namespace photomap::media
