#include "search/quantized_matrix.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <new>

#include <sys/mman.h>

#include "search/parallel_chunks.h"

namespace photomap::search {
namespace {

constexpr size_t kHugePageBytes = size_t{2} << 20;
constexpr double kMinMagnitude = 0x1p-40;  // below: s·s_q could leave float's normal range
constexpr double kMaxMagnitude = 0x1p40;   // above: s·s_q·Σ could overflow

void QuantizeRow(const float* e, int dim, double gamma, QuantizedMatrix& m, size_t row) {
  double max_abs = 0;
  bool finite = true;
  for (int j = 0; j < dim; ++j) {
    if (!std::isfinite(e[j])) finite = false;
    max_abs = std::max(max_abs, std::fabs(static_cast<double>(e[j])));
  }
  const size_t block = row / 16;
  const int lane = static_cast<int>(row % 16);
  int8_t* out = m.blocks.get() + block * m.block_bytes() + lane * 4;
  if (!finite || max_abs < kMinMagnitude || max_abs > kMaxMagnitude) {
    // Left out of the int8 pass (all zero, so the integer dot is 0): always a candidate.
    m.residual_bounds[row] = std::numeric_limits<float>::infinity();
    return;
  }
  const float scale = static_cast<float>(max_abs / 127.0);
  const double inverse = 1.0 / scale;  // any rounding of e / s keeps the bound valid: the
                                       // bound uses the residual actually left
  int32_t sum = 0;
  // Four partial sums (lane j % 4) for instruction-level parallelism; order does not matter
  // beyond the 2^-40 slack of RoundUpToFloat.
  double quant_sq[4] = {}, residual_sq[4] = {}, norm_sq[4] = {};
  for (int j = 0; j < dim; ++j) {
    const int k = j % 4;
    const double v = e[j];
    const double x = std::clamp(v * inverse, -127.0, 127.0);
    const int q = static_cast<int>(x + (x < 0 ? -0.5 : 0.5));  // half away from zero, no libm
    out[(j / 4) * 64 + k] = static_cast<int8_t>(q);
    sum += q;
    const double approx = static_cast<double>(scale) * q;  // exact: 24 x 8 bits
    quant_sq[k] += approx * approx;
    residual_sq[k] += (v - approx) * (v - approx);
    norm_sq[k] += v * v;
  }
  auto total = [](const double* p) { return (p[0] + p[1]) + (p[2] + p[3]); };
  m.row_sums[row] = sum;
  m.scales[row] = scale;
  m.quant_norms[row] = RoundUpToFloat(std::sqrt(total(quant_sq)));
  m.residual_bounds[row] =
      RoundUpToFloat(std::sqrt(total(residual_sq)) + gamma * std::sqrt(total(norm_sq)));
}

}  // namespace

float RoundUpToFloat(double x) {
  const double padded = x * (1 + 0x1p-40);
  float f = static_cast<float>(padded);
  if (static_cast<double>(f) < padded)
    f = std::nextafter(f, std::numeric_limits<float>::infinity());
  return f;
}

size_t QuantizedMatrix::size_bytes() const {
  return num_blocks * block_bytes() + row_sums.size() * (sizeof(int32_t) + 3 * sizeof(float));
}

double DotErrorFactor(int dim) {
  const double nu = dim * 0x1p-24;
  return nu / (1 - nu);
}

QuantizedMatrix QuantizeRows(std::span<const float> rows, size_t n, int dim, int threads) {
  QuantizedMatrix m;
  m.rows = n;
  m.dim = dim;
  m.groups = (dim + 3) / 4;
  m.num_blocks = (n + 15) / 16;
  const size_t bytes = std::max<size_t>(64, m.num_blocks * m.block_bytes());
  const size_t align = bytes >= kHugePageBytes ? kHugePageBytes : 64;
  const size_t padded_bytes = (bytes + align - 1) / align * align;
  m.blocks.reset(static_cast<int8_t*>(std::aligned_alloc(align, padded_bytes)));
  if (!m.blocks) throw std::bad_alloc();  // as a std::vector of this size would
  // The scan streams the whole copy per query; 2 MiB pages spare it ~25k TLB misses. Advice
  // only: nothing changes if the kernel declines.
  if (align == kHugePageBytes) madvise(m.blocks.get(), padded_bytes, MADV_HUGEPAGE);
  std::fill_n(m.blocks.get(), bytes, int8_t{0});
  const size_t padded = m.num_blocks * 16;
  m.row_sums.assign(padded, 0);
  m.scales.assign(padded, 0.0f);
  m.quant_norms.assign(padded, 0.0f);
  m.residual_bounds.assign(padded, 0.0f);
  const double gamma = DotErrorFactor(dim);
  // Rows are independent and each chunk writes its own 16-row blocks.
  ForEachChunk(m.num_blocks, threads, [&](int, size_t begin, size_t end) {
    for (size_t i = begin * 16; i < std::min(n, end * 16); ++i) {
      QuantizeRow(rows.data() + i * dim, dim, gamma, m, i);
    }
  });
  return m;
}

}  // namespace photomap::search
