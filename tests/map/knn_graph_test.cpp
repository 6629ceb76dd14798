#include "map/knn_graph.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <set>

#include "map/fuzzy_simplicial_set.h"
#include "map/synthetic.h"

namespace photomap::map {
namespace {

// Reference: brute force in double precision.
std::vector<std::set<int32_t>> BruteForce(const testing::Clusters& c, int k) {
  std::vector<std::set<int32_t>> out(c.n);
  for (size_t i = 0; i < c.n; ++i) {
    std::vector<std::pair<double, int32_t>> d;
    for (size_t j = 0; j < c.n; ++j) {
      double dot = 0;
      for (size_t t = 0; t < c.dim; ++t)
        dot += static_cast<double>(c.x[i * c.dim + t]) * c.x[j * c.dim + t];
      d.emplace_back(j == i ? -1.0 : 1.0 - dot, static_cast<int32_t>(j));
    }
    std::partial_sort(d.begin(), d.begin() + k, d.end());
    for (int r = 0; r < k; ++r) out[i].insert(d[r].second);
  }
  return out;
}

double Recall(const KnnGraph& g, const std::vector<std::set<int32_t>>& truth) {
  size_t hit = 0;
  for (size_t i = 0; i < g.n; ++i) {
    for (int j = 0; j < g.k; ++j) hit += truth[i].count(g.indices[i * g.k + j]);
  }
  return static_cast<double>(hit) / static_cast<double>(g.n * g.k);
}

TEST(KnnGraphTest, ExactSearchFindsTheTrueNeighboursSelfFirst) {
  const testing::Clusters c = testing::GaussianClusters(4, 50, 16, 0.7, 1);
  auto g = BuildKnnGraph({c.x.data(), c.n, c.dim}, 10);
  ASSERT_TRUE(g.ok());
  EXPECT_GE(Recall(*g, BruteForce(c, 10)), 0.999);
  for (size_t i = 0; i < c.n; ++i) {
    EXPECT_EQ(g->indices[i * 10], static_cast<int32_t>(i));
    EXPECT_EQ(g->distances[i * 10], 0.0f);
    for (int j = 1; j < 10; ++j) EXPECT_LE(g->distances[i * 10 + j - 1], g->distances[i * 10 + j]);
  }
}

// The inverted-file path (forced with a low exact threshold): recall >= 0.95 against brute force
// on clustered data, and deterministic.
TEST(KnnGraphTest, InvertedFileRecallAndDeterminism) {
  const testing::Clusters c = testing::GaussianClusters(20, 100, 32, 0.7, 2);
  KnnOptions o;
  o.exact_max_rows = 100;
  auto g = BuildKnnGraph({c.x.data(), c.n, c.dim}, 15, o);
  auto h = BuildKnnGraph({c.x.data(), c.n, c.dim}, 15, o);
  ASSERT_TRUE(g.ok() && h.ok());
  const double recall = Recall(*g, BruteForce(c, 15));
  EXPECT_GE(recall, 0.95) << "recall " << recall;
  EXPECT_EQ(g->indices, h->indices);
  EXPECT_EQ(g->distances, h->distances);
}

// keep_going is asked between units of work: a stop ends the search with Cancelled, in both the
// exact and the inverted-file paths, having asked only a few times; an always-true answer changes
// nothing.
TEST(KnnGraphTest, KeepGoingCancelsBetweenBlocksOrCells) {
  const testing::Clusters c = testing::GaussianClusters(20, 100, 32, 0.7, 4);
  for (size_t exact_max : {size_t{4096}, size_t{100}}) {
    KnnOptions o;
    o.exact_max_rows = exact_max;
    int asked = 0;
    o.keep_going = [&asked] { return ++asked < 2; };
    auto stopped = BuildKnnGraph({c.x.data(), c.n, c.dim}, 15, o);
    ASSERT_FALSE(stopped.ok()) << "exact_max_rows " << exact_max;
    EXPECT_EQ(stopped.error().kind, ErrorKind::kCancelled);
    EXPECT_EQ(asked, 2);
    o.keep_going = [] { return true; };
    auto full = BuildKnnGraph({c.x.data(), c.n, c.dim}, 15, o);
    KnnOptions plain;
    plain.exact_max_rows = exact_max;
    auto reference = BuildKnnGraph({c.x.data(), c.n, c.dim}, 15, plain);
    ASSERT_TRUE(full.ok() && reference.ok());
    EXPECT_EQ(full->indices, reference->indices);
    EXPECT_EQ(full->distances, reference->distances);
  }
}

TEST(KnnGraphTest, QueryAgainstAnotherSet) {
  const testing::Clusters c = testing::GaussianClusters(3, 40, 8, 0.5, 3);
  const MatrixView base{c.x.data(), 100, c.dim}, queries{c.x.data() + 100 * c.dim, 20, c.dim};
  auto g = QueryKnn(base, queries, 5);
  ASSERT_TRUE(g.ok());
  for (size_t i = 0; i < 20; ++i) {
    for (int j = 0; j < 5; ++j) {
      EXPECT_GE(g->indices[i * 5 + j], 0);
      EXPECT_LT(g->indices[i * 5 + j], 100);
    }
  }
  EXPECT_EQ(QueryKnn(base, queries, 101).error().kind, ErrorKind::kInvalidInput);
}

// Smooth kNN calibration: every row's memberships (self excluded) sum to log2(k) within the
// binary search tolerance, as umap-learn's smooth_knn_dist; the fuzzy union is symmetric.
TEST(FuzzySimplicialSetTest, CalibrationAndSymmetry) {
  const testing::Clusters c = testing::GaussianClusters(4, 50, 16, 0.7, 5);
  const int k = 15;
  auto g = BuildKnnGraph({c.x.data(), c.n, c.dim}, k);
  ASSERT_TRUE(g.ok());
  const SmoothKnn s = SmoothKnnDist(*g, k);
  for (size_t i = 0; i < c.n; ++i) {
    double sum = 0;
    for (int j = 1; j < k; ++j) sum += MembershipStrength(*g, s, i, j, true);
    EXPECT_NEAR(sum, std::log2(15.0), 1e-3) << "row " << i;
    EXPECT_GT(s.rhos[i], 0.0f);
  }
  const SparseGraph fs = FuzzySimplicialSet(*g, k);
  std::map<std::pair<int32_t, int32_t>, float> w;
  for (size_t i = 0; i < fs.n; ++i) {
    for (size_t e = fs.row_start[i]; e < fs.row_start[i + 1]; ++e) {
      EXPECT_GT(fs.weights[e], 0.0f);
      EXPECT_LE(fs.weights[e], 1.0f);
      w[{static_cast<int32_t>(i), fs.cols[e]}] = fs.weights[e];
    }
  }
  for (const auto& [ij, v] : w) EXPECT_EQ(w.at({ij.second, ij.first}), v);
}

}  // namespace
}  // namespace photomap::map
