#include "media/jpeg_eighth_output.h"

#include <algorithm>
#include <cmath>

namespace photomap::media {
namespace {

uint8_t Clamp255(int32_t v) { return static_cast<uint8_t>(std::clamp(v, 0, 255)); }

// libjpeg's 1x1 inverse DCT: the dequantised DC divided by 8, rounded, level-shifted.
std::vector<uint8_t> DcLevels(const JpegPlane& p) {
  std::vector<uint8_t> out(static_cast<size_t>(p.real_w * p.real_h));
  for (int64_t y = 0; y < p.real_h; ++y) {
    const int32_t* row = p.dc.data() + y * p.blocks_w;
    uint8_t* o = out.data() + y * p.real_w;
    for (int64_t x = 0; x < p.real_w; ++x) {
      const int64_t dequantised = static_cast<int64_t>(row[x]) * p.quant[0];
      o[x] = Clamp255(static_cast<int32_t>(std::clamp<int64_t>((dequantised + 4) >> 3, -512, 512)) +
                      128);
    }
  }
  return out;
}

// Samples of a plane subsampled by fx, fy (1 or 2) at every output pixel. Repeated, as libjpeg
// does at 1/8 for 4:2:2 and 4:4:0; or (`interpolate`) each output pixel weighs its own sample
// 3/4 and the nearer neighbour 1/4 along every subsampled axis (the triangle filter of libjpeg's
// "fancy" upsampling), edges repeated.
std::vector<uint8_t> Upsample(const std::vector<uint8_t>& in, int64_t in_w, int64_t in_h, int fx,
                              int fy, bool interpolate, int64_t out_w, int64_t out_h) {
  const bool tx = interpolate && fx == 2, ty = interpolate && fy == 2;
  std::vector<uint8_t> out(static_cast<size_t>(out_w * out_h));
  std::vector<int32_t> column_sums(static_cast<size_t>(in_w));
  for (int64_t y = 0; y < out_h; ++y) {
    const int64_t i = std::min(y / fy, in_h - 1);
    const int64_t j = ty ? std::clamp<int64_t>(y % 2 ? i + 1 : i - 1, 0, in_h - 1) : i;
    const uint8_t* near = in.data() + i * in_w;
    const uint8_t* far = in.data() + j * in_w;
    for (int64_t x = 0; x < in_w; ++x) {
      column_sums[static_cast<size_t>(x)] = 3 * near[x] + far[x];  // 4 x the sample if i == j
    }
    uint8_t* o = out.data() + y * out_w;
    for (int64_t x = 0; x < out_w; ++x) {
      const int64_t a = std::min(x / fx, in_w - 1);
      const int64_t b = tx ? std::clamp<int64_t>(x % 2 ? a + 1 : a - 1, 0, in_w - 1) : a;
      const int32_t sum =
          3 * column_sums[static_cast<size_t>(a)] + column_sums[static_cast<size_t>(b)];
      o[x] = static_cast<uint8_t>((sum + 8) >> 4);
    }
  }
  return out;
}

// JFIF YCbCr to RGB with libjpeg's 16-bit fixed-point constants and rounding.
void YccToRgb(const uint8_t* y, const uint8_t* cb, const uint8_t* cr, size_t n, uint8_t* rgb) {
  constexpr int32_t kCrToR = 91881, kCbToB = 116130, kCbToG = -22554, kCrToG = -46802;
  constexpr int32_t kHalf = 1 << 15;
  for (size_t i = 0; i < n; ++i) {
    const int32_t l = y[i], b = cb[i] - 128, r = cr[i] - 128;
    rgb[3 * i + 0] = Clamp255(l + ((kCrToR * r + kHalf) >> 16));
    rgb[3 * i + 1] = Clamp255(l + ((kCbToG * b + kCrToG * r + kHalf) >> 16));
    rgb[3 * i + 2] = Clamp255(l + ((kCbToB * b + kHalf) >> 16));
  }
}

// Weight of frequency u in the mean of the first half (x = 0..3) of the 8-point inverse DCT:
// C(u)/2 * mean(cos((2x+1)u*pi/16)). Zero for even u > 0; the second half has (-1)^u times it.
struct HalfMeanWeights {
  double w[8] = {};
  HalfMeanWeights() {
    const double pi = std::acos(-1.0);
    for (int u = 0; u < 8; ++u) {
      double sum = 0;
      for (int x = 0; x < 4; ++x) sum += std::cos((2 * x + 1) * u * pi / 16);
      w[u] = (u == 0 ? 1 / std::sqrt(2.0) : 1.0) / 2 * sum / 4;
    }
  }
};

}  // namespace

void InverseDct2x2(const int32_t* natural, uint8_t* out, size_t stride) {
  static const HalfMeanWeights kHalf;
  static constexpr int kTerms[5] = {0, 1, 3, 5, 7};
  // round(v) + 128 as floor(v + 128.5), clamped before the conversion (corrupt coefficients can
  // be far outside int range); truncation equals floor on [0, 256).
  auto level = [](double v) {
    return static_cast<uint8_t>(static_cast<int32_t>(std::clamp(v + 128.5, 0.0, 255.0)));
  };
  double rows[5][2];  // per vertical frequency: the means of the left and right halves
  for (int i = 0; i < 5; ++i) {
    const int32_t* row = natural + 8 * kTerms[i];
    const double even = kHalf.w[0] * row[0];
    const double odd =
        kHalf.w[1] * row[1] + kHalf.w[3] * row[3] + kHalf.w[5] * row[5] + kHalf.w[7] * row[7];
    rows[i][0] = even + odd;
    rows[i][1] = even - odd;
  }
  for (int qx = 0; qx < 2; ++qx) {
    const double even = kHalf.w[0] * rows[0][qx];
    const double odd = kHalf.w[1] * rows[1][qx] + kHalf.w[3] * rows[2][qx] +
                       kHalf.w[5] * rows[3][qx] + kHalf.w[7] * rows[4][qx];
    out[qx] = level(even + odd);
    out[stride + static_cast<size_t>(qx)] = level(even - odd);
  }
}

EighthScaleJpeg RenderEighthScale(const JpegFrame& frame) {
  EighthScaleJpeg out;
  // libvips' shrink-on-load size: the whole blocks, at least one (libjpeg rounds up instead).
  out.width = std::max<int64_t>(1, frame.width / 8);
  out.height = std::max<int64_t>(1, frame.height / 8);
  out.bands = frame.components.size() == 1 ? 1 : 3;
  std::vector<std::vector<uint8_t>> planes;
  for (const JpegPlane& p : frame.components) {
    const int fx = frame.hmax / p.h, fy = frame.vmax / p.v;
    if (p.two_by_two || (fx == 1 && fy == 1)) {
      std::vector<uint8_t> levels = p.two_by_two ? std::vector<uint8_t>() : DcLevels(p);
      const uint8_t* src = p.two_by_two ? p.quads.data() : levels.data();
      const int64_t src_w = p.two_by_two ? 2 * p.blocks_w : p.real_w;
      std::vector<uint8_t> cropped(static_cast<size_t>(out.width * out.height));
      for (int64_t y = 0; y < out.height; ++y) {
        std::copy_n(src + y * src_w, out.width, cropped.data() + y * out.width);
      }
      planes.push_back(std::move(cropped));
    } else {
      std::vector<uint8_t> levels = DcLevels(p);
      // libjpeg at 1/8 repeats 4:2:2 / 4:4:0 chroma; 4:2:0 chroma only reaches here from
      // progressive files, whose AC scans are not read, so it is interpolated instead.
      const bool interpolate = fx == 2 && fy == 2;
      planes.push_back(
          Upsample(levels, p.real_w, p.real_h, fx, fy, interpolate, out.width, out.height));
    }
  }
  const size_t n = static_cast<size_t>(out.width * out.height);
  if (out.bands == 1) {
    out.pixels = std::move(planes[0]);
  } else {
    out.pixels.resize(n * 3);
    YccToRgb(planes[0].data(), planes[1].data(), planes[2].data(), n, out.pixels.data());
  }
  return out;
}

}  // namespace photomap::media
