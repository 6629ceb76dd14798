#include "search/quantized_matrix.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <limits>
#include <new>

#include <sys/mman.h>

#include "search/parallel_chunks.h"

namespace photomap::search {
namespace {

constexpr size_t kHugePageBytes = size_t{2} << 20;
constexpr double kMinMagnitude = 0x1p-40;  // below: s·s_q could leave float's normal range
constexpr double kMaxMagnitude = 0x1p40;   // above: s·s_q·Σ could overflow

// Quantizes row `row` into its block. `q` is scratch for dim rounded up to 4 values. The loops
// are split so that the compiler can vectorise each.
void QuantizeRow(const float* e, int dim, double gamma, QuantizedMatrix& m, size_t row,
                 std::vector<int8_t>& q) {
  float max_abs = 0.0f;
  bool finite = true;
  for (int j = 0; j < dim; ++j) {
    const float a = std::fabs(e[j]);
    finite &= a <= std::numeric_limits<float>::max();  // false for NaN and inf
    max_abs = a > max_abs ? a : max_abs;
  }
  if (!finite || max_abs < kMinMagnitude || max_abs > kMaxMagnitude) {
    // Left out of the int8 pass (all zero, so the integer dot is 0): always a candidate.
    m.residual_bounds[row] = std::numeric_limits<float>::infinity();
    return;
  }
  const float scale = static_cast<float>(static_cast<double>(max_abs) / 127.0);
  // Any rounding of e / s keeps the bound valid: the bound uses the residual actually left.
  const float inverse = 1.0f / scale;
  int32_t sum = 0;
  int64_t quant_sq = 0;  // Σ e_q², exact
  for (int j = 0; j < dim; ++j) {
    float x = e[j] * inverse;  // in [-127, 127] up to rounding; clamp without branches
    x = x < -127.0f ? -127.0f : x;
    x = x > 127.0f ? 127.0f : x;
    const int v = static_cast<int>(x + std::copysign(0.5f, x));  // half away from 0, branch-free
    q[j] = static_cast<int8_t>(v);
    sum += v;
    quant_sq += v * v;
  }
  // Residual and norm in double, four partial sums (order only matters within the 2^-40 slack
  // of RoundUpToFloat).
  double residual_sq[4] = {}, norm_sq[4] = {};
  for (int j = 0; j < dim; j += 4) {  // q is zero-padded to a multiple of 4
    for (int l = 0; l < 4; ++l) {
      const double v = j + l < dim ? e[j + l] : 0.0;
      const double r = v - static_cast<double>(scale) * q[j + l];  // s·e_q exact: 24 x 8 bits
      residual_sq[l] += r * r;
      norm_sq[l] += v * v;
    }
  }
  int8_t* out = m.blocks.get() + (row / 16) * m.block_bytes() + (row % 16) * 4;
  for (int g = 0; g < m.groups; ++g) std::memcpy(out + g * 64, q.data() + g * 4, 4);
  auto total = [](const double* p) { return (p[0] + p[1]) + (p[2] + p[3]); };
  m.row_sums[row] = sum;
  m.scales[row] = scale;
  m.quant_norms[row] = RoundUpToFloat(scale * std::sqrt(static_cast<double>(quant_sq)));
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
    std::vector<int8_t> scratch(static_cast<size_t>(m.groups) * 4, 0);
    for (size_t i = begin * 16; i < std::min(n, end * 16); ++i) {
      QuantizeRow(rows.data() + i * dim, dim, gamma, m, i, scratch);
    }
  });
  return m;
}

}  // namespace photomap::search
