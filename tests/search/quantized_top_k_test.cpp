// QuantizedTopK against the fp32 reference, TopK(ScoreRows(...)), on every kernel level this
// CPU can run and for 1-3 threads: the same rows, in the same order, with bit-identical scores.
// Random unit rows, adversarial near-ties and duplicates, k > n, score floors, negative
// weights, rows and queries that cannot be quantized, and a stale copy.
#include "search/quantized_top_k.h"

#include <bit>
#include <cmath>
#include <limits>
#include <numeric>
#include <random>
#include <vector>

#include <gtest/gtest.h>

#include "search/search_kernels.h"

namespace photomap::search {
namespace {

using Matrix = std::vector<float>;

Matrix UnitRows(size_t n, int dim, std::mt19937& rng) {
  std::normal_distribution<float> normal;
  Matrix m(n * dim);
  for (size_t i = 0; i < n; ++i) {
    double norm = 0;
    for (int j = 0; j < dim; ++j) norm += std::pow(m[i * dim + j] = normal(rng), 2);
    for (int j = 0; j < dim; ++j) m[i * dim + j] /= static_cast<float>(std::sqrt(norm));
  }
  return m;
}

std::vector<size_t> ShuffledKeys(size_t n, std::mt19937& rng) {
  std::vector<size_t> keys(n);
  std::iota(keys.begin(), keys.end(), size_t{0});
  std::shuffle(keys.begin(), keys.end(), rng);
  return keys;
}

std::vector<KernelLevel> RunnableLevels() {
  ForceKernelLevelForTesting(std::nullopt);
  std::vector<KernelLevel> levels;
  for (int l = 0; l <= static_cast<int>(ActiveKernelLevel()); ++l) {
    levels.push_back(static_cast<KernelLevel>(l));
  }
  return levels;
}

struct Case {
  const Matrix* m;
  size_t n;
  int dim;
  QueryTerms terms;
  size_t k;
  double min_score;
  const std::vector<size_t>* keys;
};

// Runs the quantized search on every level and thread count and checks it against the fp32
// reference. Returns the largest candidate count seen.
size_t ExpectSameAsReference(const Case& c, const std::string& what) {
  const std::vector<float> scores = ScoreRows(*c.m, c.n, c.dim, c.terms, std::nullopt);
  const std::vector<ScoredRow> want = TopK(scores, c.k, c.min_score, *c.keys);
  const std::vector<float> q = *FoldClipQuery(c.terms, c.dim);
  const QuantizedMatrix qm = QuantizeRows(*c.m, c.n, c.dim);
  auto key = [&](size_t row) { return (*c.keys)[row]; };
  size_t candidates = 0;
  for (KernelLevel level : RunnableLevels()) {
    ForceKernelLevelForTesting(level);
    for (int threads : {1, 2, 3}) {
      const QuantizedTopKResult got = QuantizedTopK(*c.m, qm, q, c.k, c.min_score, key, threads);
      const std::string where = what + " level " + std::to_string(static_cast<int>(level)) +
                                " threads " + std::to_string(threads);
      EXPECT_FALSE(got.copy_mismatch) << where;
      EXPECT_EQ(got.top.size(), want.size()) << where;
      for (size_t i = 0; i < std::min(got.top.size(), want.size()); ++i) {
        EXPECT_EQ(got.top[i].row, want[i].row) << where << " rank " << i;
        EXPECT_EQ(std::bit_cast<uint32_t>(got.top[i].score), std::bit_cast<uint32_t>(want[i].score))
            << where << " rank " << i << ": " << got.top[i].score << " vs " << want[i].score;
      }
      candidates = std::max(candidates, got.candidates);
    }
  }
  ForceKernelLevelForTesting(std::nullopt);
  return candidates;
}

QueryTerms TextQuery(const float* q, int dim) {
  QueryTerms t;
  t.positive = std::vector<float>(q, q + dim);
  return t;
}

TEST(QuantizedTopKTest, RandomUnitRowsMatchTheFp32PathAndPruneMostRows) {
  std::mt19937 rng(1);
  const size_t n = 20000;
  const int dim = 512;
  const Matrix m = UnitRows(n, dim, rng);
  const Matrix queries = UnitRows(3, dim, rng);
  const std::vector<size_t> keys = ShuffledKeys(n, rng);
  QueryTerms text = TextQuery(queries.data(), dim);
  size_t candidates = ExpectSameAsReference({&m, n, dim, text, 100, -1e9, &keys}, "text top-100");
  std::printf("candidates re-scored for top-100 of %zu random rows: %zu\n", n, candidates);
  EXPECT_LT(candidates, n / 20) << "the int8 bound should prune most random rows";
  QueryTerms all = text;
  all.image = std::vector<float>(queries.begin() + dim, queries.begin() + 2 * dim);
  all.negative = std::vector<float>(queries.begin() + 2 * dim, queries.end());
  all.image_weight = 0.3;
  all.positive_weight = 0.9;
  all.negative_weight = 1.7;  // a strong penalty: the folded query is not unit
  ExpectSameAsReference({&m, n, dim, all, 100, -1e9, &keys}, "image+text-negative");
  QueryTerms only_negative;
  only_negative.negative = all.negative;
  ExpectSameAsReference({&m, n, dim, only_negative, 50, -1e9, &keys}, "negative only");
  // A floor among the top scores, and a floor above every score.
  ExpectSameAsReference({&m, n, dim, text, 100, 0.12, &keys}, "floor 0.12");
  ExpectSameAsReference({&m, n, dim, text, 100, 0.9, &keys}, "floor above all");
  ExpectSameAsReference({&m, n, dim, text, 1, -1e9, &keys}, "k = 1");
}

TEST(QuantizedTopKTest, FloorEqualToARowsScoreKeepsThatRow) {
  std::mt19937 rng(2);
  const size_t n = 3000;
  const int dim = 64;
  const Matrix m = UnitRows(n, dim, rng);
  const Matrix q = UnitRows(1, dim, rng);
  const std::vector<size_t> keys = ShuffledKeys(n, rng);
  const QueryTerms text = TextQuery(q.data(), dim);
  const std::vector<float> scores = ScoreRows(m, n, dim, text, std::nullopt);
  const std::vector<ScoredRow> top = TopK(scores, 10, -1e9, keys);
  const double floor = top[5].score;  // exactly representable: the 6th score
  ExpectSameAsReference({&m, n, dim, text, 10, floor, &keys}, "floor at rank 5");
  EXPECT_EQ(TopK(scores, 10, floor, keys).size(), 6u);
}

TEST(QuantizedTopKTest, NearTiesAndDuplicatesKeepTheReferenceOrder) {
  std::mt19937 rng(3);
  const int dim = 96;
  const size_t n = 4000;
  const Matrix base = UnitRows(4, dim, rng);
  std::normal_distribution<float> tiny(0, 1e-6f);
  Matrix m(n * dim);
  for (size_t i = 0; i < n; ++i) {
    // Four clusters of rows a few ulps apart, every tenth row an exact duplicate of its
    // cluster's centre: thousands of rows within the int8 error of each other.
    for (int j = 0; j < dim; ++j) {
      const float centre = base[(i % 4) * dim + j];
      m[i * dim + j] = i % 10 == 0 ? centre : centre + tiny(rng);
    }
  }
  std::vector<size_t> keys = ShuffledKeys(n, rng);
  for (size_t i = 0; i < n; i += 7) keys[i] = 5;  // equal tie keys too: the row decides
  QueryTerms text = TextQuery(base.data(), dim);
  const size_t candidates =
      ExpectSameAsReference({&m, n, dim, text, 100, -1e9, &keys}, "near ties");
  EXPECT_GT(candidates, 100u) << "near-ties cannot be pruned; they must all be re-scored";
  ExpectSameAsReference({&m, n, dim, text, 2000, -1e9, &keys}, "near ties k 2000");
}

TEST(QuantizedTopKTest, KLargerThanNAndOddShapes) {
  std::mt19937 rng(4);
  for (auto [n, dim] : {std::pair<size_t, int>{1, 1}, {5, 3}, {17, 37}, {33, 5}, {250, 130}}) {
    const Matrix m = UnitRows(n, dim, rng);
    const Matrix q = UnitRows(1, dim, rng);
    const std::vector<size_t> keys = ShuffledKeys(n, rng);
    const QueryTerms text = TextQuery(q.data(), dim);
    const std::string shape = std::to_string(n) + "x" + std::to_string(dim);
    ExpectSameAsReference({&m, n, dim, text, n + 10, -1e9, &keys}, shape + " k > n");
    ExpectSameAsReference({&m, n, dim, text, n, 0.0, &keys}, shape + " k = n, floor 0");
    ExpectSameAsReference({&m, n, dim, text, 3, -1e9, &keys}, shape + " k 3");
  }
}

TEST(QuantizedTopKTest, RowsThatCannotBeQuantizedAreAlwaysRescored) {
  std::mt19937 rng(5);
  const size_t n = 600;
  const int dim = 32;
  Matrix m = UnitRows(n, dim, rng);
  const Matrix q = UnitRows(1, dim, rng);
  const float inf = std::numeric_limits<float>::infinity();
  for (int j = 0; j < dim; ++j) {
    m[3 * dim + j] = 0;                          // zero row
    m[10 * dim + j] = 1e-30f * m[11 * dim + j];  // too small for the int8 scale
    m[20 * dim + j] = 1e20f * m[21 * dim + j];   // too large: scores far above the rest
  }
  m[30 * dim + 4] = std::numeric_limits<float>::quiet_NaN();
  m[40 * dim + 7] = inf;
  m[50 * dim + 1] = -inf;
  const std::vector<size_t> keys = ShuffledKeys(n, rng);
  const QueryTerms text = TextQuery(q.data(), dim);
  ExpectSameAsReference({&m, n, dim, text, 20, -1e9, &keys}, "special rows");
  ExpectSameAsReference({&m, n, dim, text, n, -std::numeric_limits<double>::infinity(), &keys},
                        "special rows, all");
  ExpectSameAsReference({&m, n, dim, text, 20, 0.0, &keys}, "special rows, floor 0");
}

TEST(QuantizedTopKTest, QueriesThatCannotBeQuantizedFallBackToTheFullScan) {
  std::mt19937 rng(6);
  const size_t n = 300;
  const int dim = 16;
  const Matrix m = UnitRows(n, dim, rng);
  const std::vector<size_t> keys = ShuffledKeys(n, rng);
  const QuantizedMatrix qm = QuantizeRows(m, n, dim);
  auto key = [&](size_t row) { return keys[row]; };
  for (float fill : {0.0f, 1e-20f, 1e30f, std::numeric_limits<float>::quiet_NaN()}) {
    std::vector<float> q(dim, fill);
    q[0] = fill == 0 ? 0 : 1e-20f * fill;
    const QuantizedTopKResult got = QuantizedTopK(m, qm, q, 10, -1e9, key, 2);
    EXPECT_TRUE(got.full_scan) << "fill " << fill;
    const std::vector<ScoredRow> want = FullScanTopK(m, n, dim, q, 10, -1e9, key, 1);
    ASSERT_EQ(got.top.size(), want.size()) << "fill " << fill;
    for (size_t i = 0; i < want.size(); ++i) EXPECT_EQ(got.top[i].row, want[i].row);
  }
}

TEST(QuantizedTopKTest, AStaleCopyIsDetectedAndTheAnswerStaysExact) {
  std::mt19937 rng(8);
  const size_t n = 2000;
  const int dim = 64;
  const Matrix old_rows = UnitRows(n, dim, rng);
  const Matrix q = UnitRows(1, dim, rng);
  const std::vector<size_t> keys = ShuffledKeys(n, rng);
  const QueryTerms text = TextQuery(q.data(), dim);
  const std::vector<float> old_scores = ScoreRows(old_rows, n, dim, text, std::nullopt);
  const size_t best = TopK(old_scores, 1, -1e9, keys)[0].row;
  Matrix new_rows = old_rows;
  for (int j = 0; j < dim; ++j) new_rows[best * dim + j] = -new_rows[best * dim + j];
  const QuantizedMatrix stale = QuantizeRows(old_rows, n, dim);
  auto key = [&](size_t row) { return keys[row]; };
  const QuantizedTopKResult got = QuantizedTopK(new_rows, stale, q, 10, -1e9, key, 2);
  EXPECT_TRUE(got.copy_mismatch);
  const std::vector<float> new_scores = ScoreRows(new_rows, n, dim, text, std::nullopt);
  const std::vector<ScoredRow> want = TopK(new_scores, 10, -1e9, keys);
  ASSERT_EQ(got.top.size(), want.size());
  for (size_t i = 0; i < want.size(); ++i) EXPECT_EQ(got.top[i].row, want[i].row) << i;
}

}  // namespace
}  // namespace photomap::search
