// The §5 scoring formula against hand-computed values, SigLIP calibration against the closed
// form, and top-k ordering (floors, limits, stable ties).
#include "search/search_scoring.h"

#include "search/search_kernels.h"

#include <cblas.h>

#include <algorithm>
#include <cmath>

#include <gtest/gtest.h>

namespace photomap::search {
namespace {

// Rows: e0 = (1,0), e1 = (0,1), e2 = (0.6,0.8).
const std::vector<float> kE = {1, 0, 0, 1, 0.6f, 0.8f};

TEST(SearchScoringTest, WeightedAverageOfPositiveTermsMinusNegativePenalty) {
  QueryTerms t;
  t.image = std::vector<float>{1, 0};
  t.positive = std::vector<float>{0, 1};
  t.image_weight = 0.25;
  t.positive_weight = 0.75;
  auto s = ScoreRows(kE, 3, 2, t, std::nullopt);
  ASSERT_EQ(s.size(), 3u);
  // (0.25*c_img + 0.75*c_pos) / 1.0
  EXPECT_NEAR(s[0], 0.25, 1e-6);
  EXPECT_NEAR(s[1], 0.75, 1e-6);
  EXPECT_NEAR(s[2], 0.25 * 0.6 + 0.75 * 0.8, 1e-6);
  t.negative = std::vector<float>{0.6f, 0.8f};
  t.negative_weight = 0.5;
  s = ScoreRows(kE, 3, 2, t, std::nullopt);
  EXPECT_NEAR(s[0], 0.25 - 0.5 * 0.6, 1e-6);
  EXPECT_NEAR(s[1], 0.75 - 0.5 * 0.8, 1e-6);
  EXPECT_NEAR(s[2], 0.75 - 0.5 * 1.0, 1e-6);
}

TEST(SearchScoringTest, WeightsAreNormalisedAndAbsentTermsIgnored) {
  QueryTerms t;
  t.positive = std::vector<float>{0, 1};
  t.positive_weight = 3.0;  // alone, any weight averages to the raw score
  t.image_weight = 5.0;     // no image given: ignored
  auto s = ScoreRows(kE, 3, 2, t, std::nullopt);
  EXPECT_NEAR(s[2], 0.8, 1e-6);
  QueryTerms none;
  EXPECT_TRUE(ScoreRows(kE, 3, 2, none, std::nullopt).empty());
  QueryTerms only_negative;
  only_negative.negative = std::vector<float>{1, 0};
  s = ScoreRows(kE, 3, 2, only_negative, std::nullopt);
  EXPECT_NEAR(s[0], -0.5, 1e-6) << "a negative alone is a penalty on zero";
}

TEST(SearchScoringTest, SiglipCalibratesTextButNotImageTerms) {
  const Calibration cal{std::log(10.0), -2.0};
  auto sigmoid = [&](double c) { return 1.0 / (1.0 + std::exp(-(c * 10.0 - 2.0))); };
  QueryTerms t;
  t.image = std::vector<float>{1, 0};
  t.positive = std::vector<float>{0, 1};
  t.negative = std::vector<float>{1, 0};
  auto s = ScoreRows(kE, 3, 2, t, cal);
  for (int r = 0; r < 3; ++r) {
    const double img = kE[r * 2];
    const double pos = kE[r * 2 + 1];
    const double expected = (0.5 * img + 0.5 * sigmoid(pos)) / 1.0 - 0.5 * sigmoid(img);
    EXPECT_NEAR(s[r], expected, 1e-6) << "row " << r;
  }
}

TEST(SearchScoringTest, ClipScoresAreExactDotsWhateverTheThreadSplit) {
  // 40k rows: ScoreRows splits them over two threads; every score must still be the fixed-order
  // ExactDot of the folded query (the int8 path re-scores with it), and stay within a few float
  // ulps of OpenBLAS's sgemv (the previous implementation).
  const size_t n = 40000;
  const int dim = 24;
  std::vector<float> e(n * dim);
  for (size_t i = 0; i < e.size(); ++i) e[i] = std::sin(0.37f * static_cast<float>(i));
  QueryTerms t;
  t.positive = std::vector<float>(dim);
  t.negative = std::vector<float>(dim);
  for (int j = 0; j < dim; ++j) {
    (*t.positive)[j] = std::cos(0.11f * j);
    (*t.negative)[j] = std::sin(0.7f * j);
  }
  const std::vector<float> q = *FoldClipQuery(t, dim);
  const std::vector<float> s = ScoreRows(e, n, dim, t, std::nullopt);
  std::vector<float> blas(n);
  cblas_sgemv(CblasRowMajor, CblasNoTrans, static_cast<int>(n), dim, 1.0f, e.data(), dim, q.data(),
              1, 0.0f, blas.data(), 1);
  double worst = 0;
  for (size_t i = 0; i < n; ++i) {
    ASSERT_EQ(s[i], ExactDot(e.data() + i * dim, q.data(), dim)) << "row " << i;
    worst = std::max(worst, std::fabs(static_cast<double>(s[i]) - blas[i]));
  }
  EXPECT_LT(worst, 1e-5) << "vs sgemv";
}

TEST(SearchScoringTest, TopKOrdersFiltersAndBreaksTiesByPosition) {
  const std::vector<float> scores = {0.3f, 0.9f, 0.3f, 0.1f, 0.3f};
  const std::vector<size_t> positions = {4, 0, 1, 2, 3};
  auto top = TopK(scores, 3, 0.2, positions);
  ASSERT_EQ(top.size(), 3u);
  EXPECT_EQ(top[0].row, 1u);
  EXPECT_EQ(top[1].row, 2u) << "tie at 0.3 broken by position 1 < 3 < 4";
  EXPECT_EQ(top[2].row, 4u);
  EXPECT_EQ(TopK(scores, 10, 0.2, positions).size(), 4u) << "0.1 is under the floor";
  EXPECT_TRUE(TopK(scores, 0, 0.0, positions).empty());
  const std::vector<size_t> same_key = {0, 0, 0, 0, 0};
  top = TopK(scores, 5, 0.0, same_key);
  EXPECT_EQ(top[1].row, 0u) << "equal score and key: the row decides";
  EXPECT_EQ(top[2].row, 2u);
  EXPECT_EQ(top[3].row, 4u);
}

}  // namespace
}  // namespace photomap::search
