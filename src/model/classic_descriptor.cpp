#include "model/classic_descriptor.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <numbers>
#include <string>
#include <vector>

namespace photomap::model {
namespace {

constexpr int kS = kClassicInputSize;
constexpr int kHalf = kS / 2;
constexpr int kOrientations = 9;       // unsigned gradient orientation, 20 degrees each
constexpr int kLbpCodes = 10;          // rotation-invariant uniform LBP (riu2) with 8 neighbours
constexpr float kLbpThreshold = 1.0f;  // L units; keeps JPEG noise in flat areas out of LBP

// Block weights (docs/models.md): each block is normalised on its own first, so a weight is
// the block's share of the squared norm before the final L2 normalisation.
constexpr float kWeightColour = 1.0f;
constexpr float kWeightLayout = 2.0f;
constexpr float kWeightHogFine = 0.7f;
constexpr float kWeightHogCoarse = 0.4f;
constexpr float kWeightEdge = 0.8f;
constexpr float kWeightLbp = 0.5f;

// Linear interpolation weights between two neighbouring bins; both indices are equal (and w1 is
// 0) at the ends.
struct SoftBin {
  int i0 = 0;
  int i1 = 0;
  float w0 = 1;
  float w1 = 0;
};

SoftBin Soft(float pos, int n) {
  if (!(pos > 0)) return {0, 0, 1, 0};
  if (pos >= static_cast<float>(n - 1)) return {n - 1, n - 1, 1, 0};
  const int i = static_cast<int>(pos);
  const float f = pos - static_cast<float>(i);
  return {i, i + 1, 1 - f, f};
}

// Bilinear spatial weights of each pixel column (or row) of a `size`-pixel axis over a `cells`
// grid whose cell centres are at (c + 0.5) * size / cells.
std::vector<SoftBin> SpatialBins(int size, int cells) {
  std::vector<SoftBin> bins(static_cast<size_t>(size));
  for (int x = 0; x < size; ++x) {
    bins[x] = Soft((static_cast<float>(x) + 0.5f) * cells / size - 0.5f, cells);
  }
  return bins;
}

const std::array<float, 256>& SrgbToLinear() {
  static const std::array<float, 256> lut = [] {
    std::array<float, 256> t{};
    for (int i = 0; i < 256; ++i) {
      const double v = i / 255.0;
      t[i] = static_cast<float>(v <= 0.04045 ? v / 12.92 : std::pow((v + 0.055) / 1.055, 2.4));
    }
    return t;
  }();
  return lut;
}

// CIELAB's f(t) on [0, 1], tabulated (4096 steps, linear interpolation; error < 1e-4).
constexpr int kLabSteps = 4096;
const std::vector<float>& LabF() {
  static const std::vector<float> lut = [] {
    std::vector<float> t(kLabSteps + 2);
    constexpr double kDelta = 6.0 / 29.0;
    for (int i = 0; i <= kLabSteps + 1; ++i) {
      const double v = static_cast<double>(i) / kLabSteps;
      t[i] = static_cast<float>(
          v > kDelta * kDelta * kDelta ? std::cbrt(v) : v / (3 * kDelta * kDelta) + 4.0 / 29);
    }
    return t;
  }();
  return lut;
}

float LabFOf(float t) {
  const float pos = std::clamp(t, 0.0f, 1.0f) * kLabSteps;
  const int i = static_cast<int>(pos);
  const float f = pos - static_cast<float>(i);
  const auto& lut = LabF();
  return lut[i] + f * (lut[i + 1] - lut[i]);
}

struct Lab {
  std::vector<float> l, a, b;  // kS * kS each; L in [0, 100], a/b about [-100, 100]
};

Lab ToLab(std::span<const float> chw) {
  constexpr size_t kN = static_cast<size_t>(kS) * kS;
  const auto& lin = SrgbToLinear();
  Lab lab{std::vector<float>(kN), std::vector<float>(kN), std::vector<float>(kN)};
  auto q = [](float v) { return static_cast<int>(std::clamp(v, 0.0f, 1.0f) * 255 + 0.5f); };
  for (size_t i = 0; i < kN; ++i) {
    const float r = lin[q(chw[i])], g = lin[q(chw[kN + i])], b = lin[q(chw[2 * kN + i])];
    const float fx = LabFOf((0.4124564f * r + 0.3575761f * g + 0.1804375f * b) / 0.95047f);
    const float fy = LabFOf(0.2126729f * r + 0.7151522f * g + 0.0721750f * b);
    const float fz = LabFOf((0.0193339f * r + 0.1191920f * g + 0.9503041f * b) / 1.08883f);
    lab.l[i] = 116 * fy - 16;
    lab.a[i] = 500 * (fx - fy);
    lab.b[i] = 200 * (fy - fz);
  }
  return lab;
}

// Global 5x5x5 histogram, trilinear: L centres 10..90, a and b centres -40..40, steps of 20.
void ColourHistogram(const Lab& lab, float* out) {
  std::fill(out, out + kClassicColourHistDim, 0.0f);
  for (size_t i = 0; i < lab.l.size(); ++i) {
    const SoftBin l = Soft((lab.l[i] - 10) / 20, 5);
    const SoftBin a = Soft((lab.a[i] + 40) / 20, 5);
    const SoftBin b = Soft((lab.b[i] + 40) / 20, 5);
    for (const auto& [li, lw] : {std::pair{l.i0, l.w0}, std::pair{l.i1, l.w1}}) {
      for (const auto& [ai, aw] : {std::pair{a.i0, a.w0}, std::pair{a.i1, a.w1}}) {
        const float law = lw * aw;
        out[(li * 5 + ai) * 5 + b.i0] += law * b.w0;
        out[(li * 5 + ai) * 5 + b.i1] += law * b.w1;
      }
    }
  }
}

// Adds `row` (one pixel row's per-cell sums, `width` values per cell) into `cells` with the
// row's vertical bilinear weights: the spatial weights are separable, so rows are summed first.
void AddRow(const std::vector<float>& row, const SoftBin& gy, int grid, int width, float* cells) {
  for (int cx = 0; cx < grid; ++cx) {
    const float* r = &row[static_cast<size_t>(cx) * width];
    float* c0 = cells + static_cast<size_t>(gy.i0 * grid + cx) * width;
    float* c1 = cells + static_cast<size_t>(gy.i1 * grid + cx) * width;
    for (int k = 0; k < width; ++k) {
      c0[k] += gy.w0 * r[k];
      c1[k] += gy.w1 * r[k];
    }
  }
}

// Per 4x4 cell (bilinear): mean L, a, b and the standard deviation of L, scaled to about
// [-1, 1]; cell c at out[4 * c].
void Layout(const Lab& lab, const std::vector<SoftBin>& grid, float* out) {
  constexpr int kSums = 5;  // weight, L, a, b, L^2
  std::vector<float> cells(16 * kSums), row(4 * kSums);
  for (int y = 0; y < kS; ++y) {
    std::fill(row.begin(), row.end(), 0.0f);
    for (int x = 0; x < kS; ++x) {
      const size_t i = static_cast<size_t>(y) * kS + x;
      const float v[kSums] = {1.0f, lab.l[i], lab.a[i], lab.b[i], lab.l[i] * lab.l[i]};
      const SoftBin& gx = grid[x];
      for (int k = 0; k < kSums; ++k) {
        row[gx.i0 * kSums + k] += gx.w0 * v[k];
        row[gx.i1 * kSums + k] += gx.w1 * v[k];
      }
    }
    AddRow(row, grid[y], 4, kSums, cells.data());
  }
  for (int c = 0; c < 16; ++c) {
    const float* s = &cells[static_cast<size_t>(c) * kSums];
    const double mean_l = s[1] / s[0];
    const double var_l = std::max(0.0, s[4] / s[0] - mean_l * mean_l);
    out[4 * c + 0] = static_cast<float>((mean_l - 50) / 50);
    out[4 * c + 1] = static_cast<float>(std::clamp(s[2] / s[0] / 64, -1.0f, 1.0f));
    out[4 * c + 2] = static_cast<float>(std::clamp(s[3] / s[0] / 64, -1.0f, 1.0f));
    out[4 * c + 3] = static_cast<float>(std::min(1.0, std::sqrt(var_l) / 32));
  }
}

// Orientation histograms of the lightness gradient (central differences, edges replicated)
// on a cells x cells bilinear grid, soft over the 9 orientation bins, weighted by magnitude.
// Also writes each cell's weighted mean magnitude to `cell_magnitude` when not null.
void Hog(const std::vector<float>& l, int size, const std::vector<SoftBin>& grid, int cells,
         float* out, float* cell_magnitude) {
  constexpr int kWidth = kOrientations + 2;  // 9 orientations, magnitude, weight
  std::vector<float> sums(static_cast<size_t>(cells * cells) * kWidth);
  std::vector<float> row(static_cast<size_t>(cells) * kWidth);
  constexpr float kBinWidth = std::numbers::pi_v<float> / kOrientations;
  for (int y = 0; y < size; ++y) {
    const float* up = &l[static_cast<size_t>(std::max(0, y - 1)) * size];
    const float* down = &l[static_cast<size_t>(std::min(size - 1, y + 1)) * size];
    const float* mid = &l[static_cast<size_t>(y) * size];
    std::fill(row.begin(), row.end(), 0.0f);
    for (int x = 0; x < size; ++x) {
      const float gx = mid[std::min(size - 1, x + 1)] - mid[std::max(0, x - 1)];
      const float gy = down[x] - up[x];
      const float mag = std::sqrt(gx * gx + gy * gy);
      float theta = std::atan2(gy, gx);
      if (theta < 0) theta += std::numbers::pi_v<float>;
      float pos = theta / kBinWidth - 0.5f;
      if (pos < 0) pos += kOrientations;
      const int o0 = static_cast<int>(pos) % kOrientations;
      const int o1 = (o0 + 1) % kOrientations;
      const float f = pos - std::floor(pos);
      const SoftBin& b = grid[x];
      for (const auto& [c, w] : {std::pair{b.i0, b.w0}, std::pair{b.i1, b.w1}}) {
        float* r = &row[static_cast<size_t>(c) * kWidth];
        r[o0] += w * mag * (1 - f);
        r[o1] += w * mag * f;
        r[kOrientations] += w * mag;
        r[kOrientations + 1] += w;
      }
    }
    AddRow(row, grid[y], cells, kWidth, sums.data());
  }
  for (int c = 0; c < cells * cells; ++c) {
    const float* s = &sums[static_cast<size_t>(c) * kWidth];
    std::copy(s, s + kOrientations, out + c * kOrientations);
    if (cell_magnitude) cell_magnitude[c] = s[kOrientations] / s[kOrientations + 1];
  }
}

// riu2 code of the 8-neighbourhood of (x, y): number of neighbours at least kLbpThreshold
// brighter than the centre when the circular bit pattern has at most 2 transitions, else 9.
int LbpCode(const float* p, int stride) {
  const float c = p[0] + kLbpThreshold;
  const int bits[8] = {p[-stride - 1] >= c, p[-stride] >= c, p[-stride + 1] >= c, p[1] >= c,
                       p[stride + 1] >= c,  p[stride] >= c,  p[stride - 1] >= c,  p[-1] >= c};
  int ones = 0, transitions = 0;
  for (int k = 0; k < 8; ++k) {
    ones += bits[k];
    transitions += bits[k] != bits[(k + 1) % 8];
  }
  return transitions <= 2 ? ones : 9;
}

// LBP histograms (each L1-normalised): global and 2x2 quadrants at 128 px, global at 64 px.
void Lbp(const std::vector<float>& fine, const std::vector<float>& coarse, float* out) {
  std::fill(out, out + kClassicLbpDim, 0.0f);
  for (int y = 1; y < kS - 1; ++y) {
    for (int x = 1; x < kS - 1; ++x) {
      const int code = LbpCode(&fine[static_cast<size_t>(y) * kS + x], kS);
      const int quadrant = (y >= kHalf) * 2 + (x >= kHalf);
      out[code] += 1;
      out[(1 + quadrant) * kLbpCodes + code] += 1;
    }
  }
  for (int y = 1; y < kHalf - 1; ++y) {
    for (int x = 1; x < kHalf - 1; ++x) {
      out[5 * kLbpCodes + LbpCode(&coarse[static_cast<size_t>(y) * kHalf + x], kHalf)] += 1;
    }
  }
  for (int h = 0; h < 6; ++h) {
    float sum = 0;
    for (int k = 0; k < kLbpCodes; ++k) sum += out[h * kLbpCodes + k];
    for (int k = 0; k < kLbpCodes; ++k) out[h * kLbpCodes + k] /= std::max(sum, 1.0f);
  }
}

std::vector<float> HalveLightness(const std::vector<float>& l) {
  std::vector<float> half(static_cast<size_t>(kHalf) * kHalf);
  for (int y = 0; y < kHalf; ++y) {
    const float* r0 = &l[static_cast<size_t>(2 * y) * kS];
    const float* r1 = r0 + kS;
    for (int x = 0; x < kHalf; ++x) {
      half[static_cast<size_t>(y) * kHalf + x] =
          0.25f * (r0[2 * x] + r0[2 * x + 1] + r1[2 * x] + r1[2 * x + 1]);
    }
  }
  return half;
}

// Signed square root (power normalisation), then the block scaled to unit L2 norm (left as is
// when it is all zeros), then multiplied by `weight`.
void NormaliseBlock(float* v, int n, float weight, bool unit_norm) {
  double sq = 0;
  for (int i = 0; i < n; ++i) {
    v[i] = std::copysign(std::sqrt(std::fabs(v[i])), v[i]);
    sq += static_cast<double>(v[i]) * v[i];
  }
  const double norm = std::sqrt(sq);
  const float scale =
      unit_norm ? (norm > 1e-12 ? static_cast<float>(weight / norm) : 0.0f) : weight;
  for (int i = 0; i < n; ++i) v[i] *= scale;
}

}  // namespace

Status ComputeClassicDescriptor(std::span<const float> chw, std::span<float> out) {
  if (chw.size() != 3u * kS * kS || out.size() != static_cast<size_t>(kClassicDim)) {
    return InvalidInput("classic descriptor: expected 3 x " + std::to_string(kS) + " x " +
                        std::to_string(kS) + " input floats and " + std::to_string(kClassicDim) +
                        " outputs, got " + std::to_string(chw.size()) + " and " +
                        std::to_string(out.size()));
  }
  static const std::vector<SoftBin> grid4 = SpatialBins(kS, 4);
  static const std::vector<SoftBin> grid2_half = SpatialBins(kHalf, 2);
  const Lab lab = ToLab(chw);
  const std::vector<float> coarse = HalveLightness(lab.l);
  float* colour = out.data();
  float* layout = colour + kClassicColourHistDim;
  float* hog_fine = layout + kClassicLayoutDim;
  float* hog_coarse = hog_fine + kClassicHogFineDim;
  float* edge = hog_coarse + kClassicHogCoarseDim;
  float* lbp = edge + kClassicEdgeDim;
  ColourHistogram(lab, colour);
  Layout(lab, grid4, layout);
  Hog(lab.l, kS, grid4, 4, hog_fine, edge);
  Hog(coarse, kHalf, grid2_half, 2, hog_coarse, nullptr);
  // Edge density: sqrt(mean magnitude / 32) per cell, at most 1; the block keeps its absolute
  // size (smooth pictures have a short edge block), scaled so its norm is at most 1.
  for (int c = 0; c < kClassicEdgeDim; ++c) edge[c] = std::min(1.0f, edge[c] / 32) / 16;
  Lbp(lab.l, coarse, lbp);
  NormaliseBlock(colour, kClassicColourHistDim, kWeightColour, true);
  // Layout keeps its size too (values already in [-1, 1]); 1/8 bounds its norm by 1.
  for (int i = 0; i < kClassicLayoutDim; ++i) layout[i] /= 64;
  NormaliseBlock(layout, kClassicLayoutDim, kWeightLayout, false);
  NormaliseBlock(hog_fine, kClassicHogFineDim, kWeightHogFine, true);
  NormaliseBlock(hog_coarse, kClassicHogCoarseDim, kWeightHogCoarse, true);
  NormaliseBlock(edge, kClassicEdgeDim, kWeightEdge, false);
  NormaliseBlock(lbp, kClassicLbpDim, kWeightLbp, true);
  double sq = 0;
  for (float v : out) sq += static_cast<double>(v) * v;
  const float inv = static_cast<float>(1.0 / std::sqrt(std::max(sq, 1e-24)));
  for (float& v : out) v *= inv;
  return Status::Ok();
}

}  // namespace photomap::model
