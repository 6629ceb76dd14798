// Helpers for the pixel tests: photo paths, image comparisons, PNG inspection.
#pragma once

#include <vips/vips.h>

#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "media/media_init.h"
#include "media/vips_handle.h"
#include "util/image.h"

namespace photomap::media::testing {

inline std::string Photo(const std::string& rel) {
  return std::string(PHOTOMAP_SHARED_DIR) + "/photos/" + rel;
}

inline std::vector<uint8_t> ReadBytes(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::vector<uint8_t>((std::istreambuf_iterator<char>(in)), {});
}

// Mean absolute difference per sample (0..255) of two same-sized images; 999 if sizes differ.
inline double MeanAbsDiff(const RgbImage& a, const RgbImage& b) {
  if (a.width != b.width || a.height != b.height || a.pixels.size() != b.pixels.size()) return 999;
  double sum = 0;
  for (size_t i = 0; i < a.pixels.size(); ++i) sum += std::abs(a.pixels[i] - b.pixels[i]);
  return sum / static_cast<double>(a.pixels.size());
}

// The image mirrored left-right (for "is it really not mirrored" checks).
inline RgbImage MirrorX(const RgbImage& in) {
  RgbImage out = in;
  for (int y = 0; y < in.height; ++y) {
    for (int x = 0; x < in.width; ++x) {
      for (int c = 0; c < 3; ++c) {
        out.pixels[(static_cast<size_t>(y) * in.width + x) * 3 + c] =
            in.pixels[(static_cast<size_t>(y) * in.width + (in.width - 1 - x)) * 3 + c];
      }
    }
  }
  return out;
}

// A decoded PNG: width, height, bands and the raw samples.
struct DecodedPng {
  int width = 0, height = 0, bands = 0;
  std::vector<uint8_t> px;
  const uint8_t* at(int x, int y) const {
    return &px[(static_cast<size_t>(y) * width + x) * bands];
  }
};

inline DecodedPng DecodePng(const std::string& png) {
  DecodedPng out;
  (void)InitMediaLibraries(nullptr);
  VipsImagePtr img;
  if (vips_pngload_buffer(const_cast<char*>(png.data()), png.size(), img.out(), nullptr) != 0) {
    return out;
  }
  size_t size = 0;
  void* buf = vips_image_write_to_memory(img.get(), &size);
  if (!buf) return out;
  out.width = img->Xsize;
  out.height = img->Ysize;
  out.bands = img->Bands;
  out.px.assign(static_cast<uint8_t*>(buf), static_cast<uint8_t*>(buf) + size);
  g_free(buf);
  return out;
}

}  // namespace photomap::media::testing
