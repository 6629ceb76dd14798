// The search scoring formula of backend-spec §5 over an embedding matrix, and a stable top-k.
//
//   c_img = E·q_img (raw cosine)   c_pos = cal(E·q_pos)   c_neg = cal(E·q_neg)
//   S = (w_img·c_img + w_pos·c_pos) / (w_img + w_pos)  −  w_neg·c_neg
// where a term is present only when its input is given and its weight is > 0, and cal is the
// identity for CLIP families or SigLIP's sigmoid(cos·exp(logit_scale) + logit_bias).
// CLIP terms fold into one query vector q and S = ExactDot(row, q) (search_kernels.h: a fixed
// summation order, the same bits on every CPU); SigLIP's calibrated terms use one OpenBLAS sgemm
// reading E once. Pure functions; thread-safe.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <vector>

namespace photomap::search {

struct QueryTerms {
  std::optional<std::vector<float>> image;     // unit query image embedding, or none
  std::optional<std::vector<float>> positive;  // unit positive text embedding, or none
  std::optional<std::vector<float>> negative;  // unit negative text embedding, or none
  double image_weight = 0.5;
  double positive_weight = 0.5;
  double negative_weight = 0.5;
};

// SigLIP calibration of text scores; absent for CLIP families (identity).
struct Calibration {
  double logit_scale = 0;  // raw parameter; the slope is exp(logit_scale)
  double logit_bias = 0;
};

// Threads of a full scan: this project's 2-core target; the scan is memory-bound, so more
// threads would add little.
inline constexpr int kSearchThreads = 2;

// The one query vector the CLIP terms fold into: Σ over positive terms of (w / W)·q minus
// w_neg·q_neg, in float, so that S = E·q. nullopt when no term is present.
// Requires: each present query has `dim` floats.
std::optional<std::vector<float>> FoldClipQuery(const QueryTerms& terms, int dim);

// Scores every row of the row-major n x dim matrix `embeddings` (rows L2-normalised). Terms
// whose weight is <= 0 are ignored. Returns an empty vector when no term is present (the search
// then has no results). Requires: each present query has `dim` floats.
std::vector<float> ScoreRows(std::span<const float> embeddings, size_t n, int dim,
                             const QueryTerms& terms, std::optional<Calibration> calibration);

struct ScoredRow {
  size_t row = 0;
  float score = 0;
};

// The up-to-`k` best rows with score >= min_score (NaN scores never qualify), best first. Equal
// scores are ordered by `tie_key[row]` ascending (the API position), then by row, so the order
// is total and results are stable across runs.
// Requires: tie_key has scores.size() entries. k == 0 gives no results.
std::vector<ScoredRow> TopK(std::span<const float> scores, size_t k, double min_score,
                            std::span<const size_t> tie_key);

}  // namespace photomap::search
