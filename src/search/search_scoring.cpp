#include "search/search_scoring.h"

#include <cblas.h>

#include <algorithm>
#include <cmath>

#include "model/text_query.h"
#include "search/parallel_chunks.h"
#include "search/search_kernels.h"

namespace photomap::search {
namespace {

bool Present(const std::optional<std::vector<float>>& q, double weight) {
  return q.has_value() && weight > 0;
}

constexpr size_t kMinRowsPerThread = 16384;  // below, starting a thread costs more than it saves

}  // namespace

std::optional<std::vector<float>> FoldClipQuery(const QueryTerms& t, int dim) {
  const bool img = Present(t.image, t.image_weight);
  const bool pos = Present(t.positive, t.positive_weight);
  const bool neg = Present(t.negative, t.negative_weight);
  if (!img && !pos && !neg) return std::nullopt;
  const double w_sum = (img ? t.image_weight : 0.0) + (pos ? t.positive_weight : 0.0);
  std::vector<float> q(static_cast<size_t>(dim), 0.0f);
  auto add = [&](const std::vector<float>& v, double w) {
    for (int j = 0; j < dim; ++j) q[j] += static_cast<float>(w * v[j]);
  };
  if (img) add(*t.image, t.image_weight / w_sum);
  if (pos) add(*t.positive, t.positive_weight / w_sum);
  if (neg) add(*t.negative, -t.negative_weight);
  return q;
}

std::vector<float> ScoreRows(std::span<const float> embeddings, size_t n, int dim,
                             const QueryTerms& t, std::optional<Calibration> calibration) {
  const bool img = Present(t.image, t.image_weight);
  const bool pos = Present(t.positive, t.positive_weight);
  const bool neg = Present(t.negative, t.negative_weight);
  if (!img && !pos && !neg) return {};
  const double w_sum = (img ? t.image_weight : 0.0) + (pos ? t.positive_weight : 0.0);
  std::vector<float> scores(n, 0.0f);
  if (n == 0) return scores;

  if (!calibration) {
    // Every term is linear in E, so fold them into one query vector and read E once.
    const std::vector<float> q = *FoldClipQuery(t, dim);
    const int threads = n >= 2 * kMinRowsPerThread ? kSearchThreads : 1;
    ForEachChunk(n, threads, [&](int, size_t begin, size_t end) {
      ExactDots(embeddings.data() + begin * dim, end - begin, dim, q.data(), scores.data() + begin);
    });
    return scores;
  }

  // SigLIP: text terms are calibrated one by one, so compute the raw cosines of each term with
  // one sgemm (E · [q_img q_pos q_neg]) and combine per row.
  std::vector<const std::vector<float>*> cols;
  if (img) cols.push_back(&*t.image);
  if (pos) cols.push_back(&*t.positive);
  if (neg) cols.push_back(&*t.negative);
  const int k = static_cast<int>(cols.size());
  std::vector<float> qt(static_cast<size_t>(k) * dim);  // k x dim, row-major
  for (int c = 0; c < k; ++c) std::copy(cols[c]->begin(), cols[c]->end(), qt.begin() + c * dim);
  std::vector<float> cos(n * k);
  cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, static_cast<int>(n), k, dim, 1.0f,
              embeddings.data(), dim, qt.data(), dim, 0.0f, cos.data(), k);
  auto cal = [&](float c) {
    return model::CalibrateScore(c, calibration->logit_scale, calibration->logit_bias);
  };
  for (size_t i = 0; i < n; ++i) {
    const float* c = &cos[i * k];
    int col = 0;
    double p = 0;
    if (img) p += t.image_weight * c[col++];
    if (pos) p += t.positive_weight * cal(c[col++]);
    double s = w_sum > 0 ? p / w_sum : 0.0;
    if (neg) s -= t.negative_weight * cal(c[col++]);
    scores[i] = static_cast<float>(s);
  }
  return scores;
}

std::vector<ScoredRow> TopK(std::span<const float> scores, size_t k, double min_score,
                            std::span<const size_t> tie_key) {
  std::vector<size_t> rows;
  rows.reserve(std::min(scores.size(), k * 4 + 16));
  const float floor = static_cast<float>(min_score);
  for (size_t i = 0; i < scores.size(); ++i) {
    if (scores[i] >= floor && !std::isnan(scores[i])) rows.push_back(i);
  }
  auto better = [&](size_t a, size_t b) {
    if (scores[a] != scores[b]) return scores[a] > scores[b];
    if (tie_key[a] != tie_key[b]) return tie_key[a] < tie_key[b];
    return a < b;
  };
  const size_t take = std::min(k, rows.size());
  std::partial_sort(rows.begin(), rows.begin() + static_cast<std::ptrdiff_t>(take), rows.end(),
                    better);
  std::vector<ScoredRow> out;
  out.reserve(take);
  for (size_t i = 0; i < take; ++i) out.push_back({rows[i], scores[rows[i]]});
  return out;
}

}  // namespace photomap::search
