// RgbImage: the pixel buffer handed from media/ (decode) to model/ (preprocess) and others.
//
// 8-bit sRGB, 3 interleaved channels, row-major, no padding: pixels.size() == width*height*3.
// A plain value type; moving it is cheap. Not thread-safe to mutate concurrently.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

namespace photomap {

struct RgbImage {
  int width = 0;
  int height = 0;
  std::vector<uint8_t> pixels;  // R,G,B,R,G,B,... top row first

  bool empty() const { return width <= 0 || height <= 0; }
  const uint8_t* row(int y) const { return pixels.data() + static_cast<size_t>(y) * width * 3; }
};

}  // namespace photomap
