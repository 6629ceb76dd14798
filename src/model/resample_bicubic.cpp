#include "model/resample_bicubic.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <vector>

namespace photomap::model {
namespace {

constexpr int kPrecisionBits = 32 - 8 - 2;  // Pillow's PRECISION_BITS for 8-bit images

double BicubicFilter(double x) {
  constexpr double a = -0.5;
  if (x < 0.0) x = -x;
  if (x < 1.0) return ((a + 2.0) * x - (a + 3.0)) * x * x + 1;
  if (x < 2.0) return (((x - 5) * x + 8) * x - 4) * a;
  return 0.0;
}

double BilinearFilter(double x) {
  if (x < 0.0) x = -x;
  if (x < 1.0) return 1.0 - x;
  return 0.0;
}

// Pillow's precompute_coeffs + normalize_coeffs_8bpc for one axis of an in_size -> out_size
// resize, for output positions [out_first, out_first + out_count): the first input index, the tap
// count, and ksize fixed-point weights. Each output position depends on nothing else, so a window
// gives exactly the values of the full resize.
struct AxisCoeffs {
  int ksize = 0;
  std::vector<int> first;
  std::vector<int> count;
  std::vector<int32_t> weights;  // out_size * ksize
};

AxisCoeffs PrecomputeCoeffs(int in_size, int out_size, int out_first, int out_count,
                            ResampleFilter filter) {
  const double support_base = filter == ResampleFilter::kBicubic ? 2.0 : 1.0;
  double (*fn)(double) = filter == ResampleFilter::kBicubic ? BicubicFilter : BilinearFilter;
  const double scale = static_cast<double>(in_size) / out_size;
  const double filterscale = scale < 1.0 ? 1.0 : scale;
  const double support = support_base * filterscale;
  AxisCoeffs c;
  c.ksize = static_cast<int>(std::ceil(support)) * 2 + 1;
  c.first.resize(out_count);
  c.count.resize(out_count);
  c.weights.assign(static_cast<size_t>(out_count) * c.ksize, 0);
  std::vector<double> k(c.ksize);
  for (int xx = out_first; xx < out_first + out_count; ++xx) {
    const int o = xx - out_first;
    const double center = (xx + 0.5) * scale;
    const double ss = 1.0 / filterscale;
    int xmin = static_cast<int>(center - support + 0.5);
    if (xmin < 0) xmin = 0;
    int xmax = static_cast<int>(center + support + 0.5);
    if (xmax > in_size) xmax = in_size;
    xmax -= xmin;
    double ww = 0.0;
    for (int x = 0; x < xmax; ++x) {
      double w = fn((x + xmin - center + 0.5) * ss);
      k[x] = w;
      ww += w;
    }
    for (int x = 0; x < xmax; ++x) {
      double v = ww != 0.0 ? k[x] / ww : k[x];
      c.weights[static_cast<size_t>(o) * c.ksize + x] =
          v < 0 ? static_cast<int32_t>(-0.5 + v * (1 << kPrecisionBits))
                : static_cast<int32_t>(0.5 + v * (1 << kPrecisionBits));
    }
    c.first[o] = xmin;
    c.count[o] = xmax;
  }
  return c;
}

// Pillow accumulates in 32-bit ints (the weights of one output sum to 2^22, so 255 * 2^22 times
// the cubic's overshoot stays below 2^31); doing the same keeps results identical and lets the
// loops vectorise.
inline uint8_t Clip8(int32_t v) {
  int32_t s = v >> kPrecisionBits;  // arithmetic shift: floor, as Pillow's lookup table
  return static_cast<uint8_t>(s < 0 ? 0 : (s > 255 ? 255 : s));
}

// Rows [row0, row0 + rows) of `in`, resampled horizontally to c.first.size() columns.
RgbImage ResampleHorizontal(const RgbImage& in, int row0, int rows, const AxisCoeffs& c) {
  RgbImage out;
  out.width = static_cast<int>(c.first.size());
  out.height = rows;
  out.pixels.resize(static_cast<size_t>(out.width) * rows * 3);
  for (int y = 0; y < rows; ++y) {
    const uint8_t* src = in.row(row0 + y);
    uint8_t* dst = out.pixels.data() + static_cast<size_t>(y) * out.width * 3;
    for (int xx = 0; xx < out.width; ++xx) {
      const int32_t* k = c.weights.data() + static_cast<size_t>(xx) * c.ksize;
      const uint8_t* p = src + static_cast<size_t>(c.first[xx]) * 3;
      int32_t s0 = 1 << (kPrecisionBits - 1), s1 = s0, s2 = s0;
      for (int x = 0; x < c.count[xx]; ++x) {
        s0 += p[x * 3 + 0] * k[x];
        s1 += p[x * 3 + 1] * k[x];
        s2 += p[x * 3 + 2] * k[x];
      }
      dst[xx * 3 + 0] = Clip8(s0);
      dst[xx * 3 + 1] = Clip8(s1);
      dst[xx * 3 + 2] = Clip8(s2);
    }
  }
  return out;
}

// `in` resampled vertically; c.first is relative to in's first row. Rows are accumulated whole
// (tap-major) so the inner loop runs over contiguous bytes.
RgbImage ResampleVertical(const RgbImage& in, const AxisCoeffs& c) {
  RgbImage out;
  out.width = in.width;
  out.height = static_cast<int>(c.first.size());
  out.pixels.resize(static_cast<size_t>(out.width) * out.height * 3);
  const size_t stride = static_cast<size_t>(in.width) * 3;
  std::vector<int32_t> acc(stride);
  for (int yy = 0; yy < out.height; ++yy) {
    const int32_t* k = c.weights.data() + static_cast<size_t>(yy) * c.ksize;
    const uint8_t* base = in.pixels.data() + static_cast<size_t>(c.first[yy]) * stride;
    std::fill(acc.begin(), acc.end(), 1 << (kPrecisionBits - 1));
    for (int y = 0; y < c.count[yy]; ++y) {
      const uint8_t* src = base + y * stride;
      const int32_t w = k[y];
      for (size_t i = 0; i < stride; ++i) acc[i] += src[i] * w;
    }
    uint8_t* dst = out.pixels.data() + static_cast<size_t>(yy) * stride;
    for (size_t i = 0; i < stride; ++i) dst[i] = Clip8(acc[i]);
  }
  return out;
}

}  // namespace

RgbImage ResamplePilRegion(const RgbImage& image, int width, int height, ResampleFilter filter,
                           int x0, int y0, int region_width, int region_height) {
  const bool horizontal = width != image.width;
  const bool vertical = height != image.height;
  // An axis that keeps its size is not resampled (Pillow skips that pass); take rows/columns.
  AxisCoeffs horiz, vert;
  if (horizontal) horiz = PrecomputeCoeffs(image.width, width, x0, region_width, filter);
  if (vertical) vert = PrecomputeCoeffs(image.height, height, y0, region_height, filter);
  const int row_first = vertical ? vert.first.front() : y0;
  const int row_last = vertical ? vert.first.back() + vert.count.back() : y0 + region_height;
  RgbImage rows;  // source rows [row_first, row_last), region columns, after the horizontal pass
  if (horizontal) {
    rows = ResampleHorizontal(image, row_first, row_last - row_first, horiz);
  } else {
    rows.width = region_width;
    rows.height = row_last - row_first;
    rows.pixels.resize(static_cast<size_t>(rows.width) * rows.height * 3);
    for (int y = 0; y < rows.height; ++y) {
      const uint8_t* src = image.row(row_first + y) + static_cast<size_t>(x0) * 3;
      std::copy(src, src + static_cast<size_t>(region_width) * 3,
                rows.pixels.begin() + static_cast<size_t>(y) * region_width * 3);
    }
  }
  if (!vertical) return rows;
  for (int& f : vert.first) f -= row_first;
  return ResampleVertical(rows, vert);
}

RgbImage ResamplePil(const RgbImage& image, int width, int height, ResampleFilter filter) {
  return ResamplePilRegion(image, width, height, filter, 0, 0, width, height);
}

}  // namespace photomap::model
