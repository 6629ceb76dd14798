// QuantizedTopK: the CLIP search's top-k from the int8 copy of the embeddings, with the same
// rows, order and float scores as TopK over the fp32 scores (ExactDot of every row with the
// folded query, search_scoring.h).
//
// Pass 1 scans the int8 copy (quantized_matrix.h) with the int8 query and gives every row an
// interval [lo, up] that provably holds its fp32 score F = ExactDot(e, q):
//   |F − s·s_q·Σ e_q q_q| ≤ ‖s·e_q‖₂‖q − s_q·q_q‖₂ + (‖e − s·e_q‖₂ + γ_dim‖e‖₂)‖q‖₂
// (Cauchy–Schwarz on the two quantization residuals, plus Higham's bound on F's own rounding),
// widened by 2^-20 relative and 2^-100 absolute for the float arithmetic that computes it.
// A row whose `up` is below min_score, or below the k-th largest `lo`, cannot make the top k
// (k other rows score strictly more), so only the remaining candidates are re-scored in fp32
// with ExactDot and ranked by TopK. Pure function; thread-safe.
#pragma once

#include <cstddef>
#include <functional>
#include <span>
#include <vector>

#include "search/quantized_matrix.h"
#include "search/search_scoring.h"

namespace photomap::search {

struct QuantizedTopKResult {
  std::vector<ScoredRow> top;  // == TopK(fp32 scores, k, min_score, tie keys)
  size_t candidates = 0;       // rows re-scored in fp32
  // The query could not be quantized (non-finite, or max|q| outside [2^-40, 2^40]): every row
  // was scored in fp32.
  bool full_scan = false;
  // A re-scored row fell outside its interval: `quantized` is not a copy of `embeddings`. `top`
  // then comes from a full fp32 scan; the caller should drop the copy.
  bool copy_mismatch = false;
};

// Ranks the rows of `embeddings` (row-major, quantized.rows x quantized.dim) against `query`.
// `tie_key(row)` orders equal scores as in TopK. `threads` splits the int8 scan (results do not
// depend on it). Requires: quantized == QuantizeRows(embeddings, ...); query.size() == dim.
QuantizedTopKResult QuantizedTopK(std::span<const float> embeddings,
                                  const QuantizedMatrix& quantized, std::span<const float> query,
                                  size_t k, double min_score,
                                  const std::function<size_t(size_t row)>& tie_key, int threads);

// The fp32 reference over every row: TopK(ExactDots(embeddings, query)), on `threads` threads.
std::vector<ScoredRow> FullScanTopK(std::span<const float> embeddings, size_t n, int dim,
                                    std::span<const float> query, size_t k, double min_score,
                                    const std::function<size_t(size_t row)>& tie_key, int threads);

}  // namespace photomap::search
