// QuantizedMatrix: an int8 copy of an embedding matrix for the search's first pass, with what
// quantized_top_k.h needs to bound the error of every row's approximate score.
//
// Row i is stored as e_q = round(e / s) with s = max|e| / 127 (symmetric, per row), in 16-row
// blocks laid out for Int8BlockDots (search_kernels.h). Per row it also keeps ‖s·e_q‖₂ and
// ‖e − s·e_q‖₂ + γ_dim·‖e‖₂ (rounded up), the two factors of the error bound. Rows that cannot be
// bounded this way (non-finite values, max|e| outside [2^-40, 2^40]) get an infinite bound and
// are always re-scored in fp32. Immutable once built; thread-safe to share.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <memory>
#include <span>
#include <vector>

namespace photomap::search {

struct QuantizedMatrix {
  struct FreeDeleter {
    void operator()(int8_t* p) const { std::free(p); }
  };

  size_t rows = 0;
  int dim = 0;
  int groups = 0;         // ceil(dim / 4): 4-byte groups per row, zero-padded
  size_t num_blocks = 0;  // ceil(rows / 16); padding rows are all zero
  std::unique_ptr<int8_t[], FreeDeleter> blocks;  // num_blocks * groups * 64 bytes, 64-aligned
  // Per row, padded to num_blocks * 16 entries:
  std::vector<int32_t> row_sums;   // Σ e_q (the VNNI kernel's offset correction)
  std::vector<float> scales;       // s
  std::vector<float> quant_norms;  // ‖s·e_q‖₂, rounded up
  std::vector<float> residual_bounds;  // ‖e − s·e_q‖₂ + γ_dim·‖e‖₂ rounded up; +inf: unbounded

  size_t block_bytes() const { return static_cast<size_t>(groups) * 64; }
  size_t size_bytes() const;
};

// γ_n = n·u / (1 − n·u) with u = 2^-24: |fl(x·y) − x·y| ≤ γ_n Σ|x_j y_j| for an n-term fp32 dot
// product summed in any order (Higham, Accuracy and Stability, §3.1).
double DotErrorFactor(int dim);

// x rounded up to a float, with room for the relative error (< 2^-40) of the double
// computation that produced it.
float RoundUpToFloat(double x);

// Quantizes the row-major n x dim matrix on `threads` threads (the result does not depend on
// it). Requires: rows.size() >= n * dim, dim > 0.
QuantizedMatrix QuantizeRows(std::span<const float> rows, size_t n, int dim, int threads = 1);

}  // namespace photomap::search
