#include "search/quantized_top_k.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <optional>

#include "search/parallel_chunks.h"
#include "search/search_kernels.h"

namespace photomap::search {
namespace {

constexpr float kRelativeSlack = 0x1p-20f;   // > 16x the float rounding of the bound itself
constexpr float kAbsoluteSlack = 0x1p-100f;  // underflow in F's products and the bound's
constexpr double kMinMagnitude = 0x1p-40;
constexpr double kMaxMagnitude = 0x1p40;
constexpr size_t kBlocksPerBatch = 64;  // 1024 rows per kernel call: 4 KiB of dots on the stack

struct QueryQuant {
  std::vector<int8_t> values;  // groups * 4, zero-padded
  float scale = 0;
  float residual_norm = 0;  // ‖q − s_q·q_q‖₂, rounded up
  float norm = 0;           // ‖q‖₂, rounded up
};

std::optional<QueryQuant> QuantizeQuery(std::span<const float> q, int groups) {
  double max_abs = 0;
  for (float v : q) {
    if (!std::isfinite(v)) return std::nullopt;
    max_abs = std::max(max_abs, std::fabs(static_cast<double>(v)));
  }
  if (max_abs < kMinMagnitude || max_abs > kMaxMagnitude) return std::nullopt;
  QueryQuant out;
  out.values.assign(static_cast<size_t>(groups) * 4, 0);
  out.scale = static_cast<float>(max_abs / 127.0);
  double residual_sq = 0, norm_sq = 0;
  for (size_t j = 0; j < q.size(); ++j) {
    const double v = q[j];
    const int qq = static_cast<int>(std::clamp(std::nearbyint(v / out.scale), -127.0, 127.0));
    out.values[j] = static_cast<int8_t>(qq);
    const double approx = static_cast<double>(out.scale) * qq;
    residual_sq += (v - approx) * (v - approx);
    norm_sq += v * v;
  }
  out.residual_norm = RoundUpToFloat(std::sqrt(residual_sq));
  out.norm = RoundUpToFloat(std::sqrt(norm_sq));
  return out;
}

struct Candidate {
  size_t row;
  float lower;
  float upper;
};

struct ChunkScan {
  std::vector<float> lowers;  // min-heap of the k largest candidate lower bounds
  std::vector<Candidate> candidates;
};

struct Bound {
  float center;  // s·s_q·Σ e_q q_q
  float radius;  // half-width, slack included
};

inline Bound BoundOf(const QuantizedMatrix& m, const QueryQuant& qq, size_t row, int32_t dot) {
  const float a = static_cast<float>(dot) * (m.scales[row] * qq.scale);
  const float e =
      m.quant_norms[row] * qq.residual_norm + m.residual_bounds[row] * qq.norm + kAbsoluteSlack;
  return {a, e + kRelativeSlack * (std::fabs(a) + e)};
}

// Scans blocks [begin, end): keeps every row whose upper bound reaches the running threshold,
// max(floor, k-th largest lower bound so far), which only rises and never exceeds the final one.
void ScanBlocks(const QuantizedMatrix& m, const QueryQuant& qq, size_t begin, size_t end, size_t k,
                float floor, ChunkScan& out) {
  int32_t dots[kBlocksPerBatch * 16];
  float uppers[kBlocksPerBatch * 16];
  std::vector<float>& heap = out.lowers;
  float threshold = floor;
  for (size_t b = begin; b < end; b += kBlocksPerBatch) {
    const size_t nb = std::min(kBlocksPerBatch, end - b);
    Int8BlockDots(m.blocks.get() + b * m.block_bytes(), m.row_sums.data() + b * 16, nb, m.groups,
                  qq.values.data(), dots);
    const size_t row0 = b * 16;
    const size_t rows = std::min(nb * 16, m.rows - row0);
    for (size_t i = 0; i < rows; ++i) {  // branch-free, so it vectorises
      const Bound bound = BoundOf(m, qq, row0 + i, dots[i]);
      uppers[i] = bound.center + bound.radius;
    }
    for (size_t i = 0; i < rows; ++i) {
      if (!(uppers[i] >= threshold)) continue;
      const Bound bound = BoundOf(m, qq, row0 + i, dots[i]);
      const float lower = bound.center - bound.radius;
      out.candidates.push_back({row0 + i, lower, uppers[i]});
      if (heap.size() < k) {
        heap.push_back(lower);
        std::push_heap(heap.begin(), heap.end(), std::greater<float>());
      } else if (lower > heap.front()) {
        std::pop_heap(heap.begin(), heap.end(), std::greater<float>());
        heap.back() = lower;
        std::push_heap(heap.begin(), heap.end(), std::greater<float>());
      }
      if (heap.size() == k) threshold = std::max(floor, heap.front());
    }
  }
}

// The k-th largest lower bound over all chunks (the union holds every chunk's k largest, so
// the global k largest), or -inf when fewer than k rows were kept.
float KthLargestLower(std::vector<ChunkScan>& scans, size_t k) {
  std::vector<float> all;
  for (auto& s : scans) all.insert(all.end(), s.lowers.begin(), s.lowers.end());
  if (all.size() < k) return -std::numeric_limits<float>::infinity();
  std::nth_element(all.begin(), all.begin() + static_cast<std::ptrdiff_t>(k - 1), all.end(),
                   std::greater<float>());
  return all[k - 1];
}

}  // namespace

std::vector<ScoredRow> FullScanTopK(std::span<const float> embeddings, size_t n, int dim,
                                    std::span<const float> query, size_t k, double min_score,
                                    const std::function<size_t(size_t row)>& tie_key, int threads) {
  std::vector<float> scores(n);
  ForEachChunk(n, threads, [&](int, size_t begin, size_t end) {
    ExactDots(embeddings.data() + begin * dim, end - begin, dim, query.data(),
              scores.data() + begin);
  });
  std::vector<size_t> ties(n);
  for (size_t r = 0; r < n; ++r) ties[r] = tie_key(r);
  return TopK(scores, k, min_score, ties);
}

QuantizedTopKResult QuantizedTopK(std::span<const float> embeddings,
                                  const QuantizedMatrix& quantized, std::span<const float> query,
                                  size_t k, double min_score,
                                  const std::function<size_t(size_t row)>& tie_key, int threads) {
  const size_t n = quantized.rows;
  const int dim = quantized.dim;
  QuantizedTopKResult result;
  if (k == 0 || n == 0) return result;
  const std::optional<QueryQuant> qq = QuantizeQuery(query, quantized.groups);
  if (!qq) {
    result.full_scan = true;
    result.top = FullScanTopK(embeddings, n, dim, query, k, min_score, tie_key, threads);
    return result;
  }
  const float floor = static_cast<float>(min_score);  // as TopK compares
  std::vector<ChunkScan> scans(static_cast<size_t>(std::max(threads, 1)));
  const int chunks = ForEachChunk(quantized.num_blocks, threads, [&](int c, size_t b, size_t e) {
    ScanBlocks(quantized, *qq, b, e, k, floor, scans[c]);
  });
  scans.resize(static_cast<size_t>(chunks));
  const float threshold = std::max(floor, KthLargestLower(scans, k));

  std::vector<size_t> rows;
  std::vector<float> scores;
  std::vector<size_t> ties;
  for (const ChunkScan& s : scans) {  // chunks in order: rows stay ascending
    for (const Candidate& c : s.candidates) {
      if (!(c.upper >= threshold)) continue;
      const float score = ExactDot(embeddings.data() + c.row * dim, query.data(), dim);
      if (std::isfinite(c.upper) && !(score >= c.lower && score <= c.upper)) {
        result.copy_mismatch = true;
        result.top = FullScanTopK(embeddings, n, dim, query, k, min_score, tie_key, threads);
        return result;
      }
      rows.push_back(c.row);
      scores.push_back(score);
      ties.push_back(tie_key(c.row));
    }
  }
  result.candidates = rows.size();
  result.top = TopK(scores, k, min_score, ties);
  for (ScoredRow& s : result.top) s.row = rows[s.row];
  return result;
}

}  // namespace photomap::search
