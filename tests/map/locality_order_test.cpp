#include "map/locality_order.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <numeric>
#include <set>
#include <tuple>

#include "map/rng.h"

namespace photomap::map {
namespace {

TEST(LocalityOrderTest, IsAPermutationThatGroupsNearbyPoints) {
  // Two far-apart blobs whose points alternate in input order.
  Rng rng(7);
  std::vector<float> xy;
  for (int i = 0; i < 1000; ++i) {
    const float c = i % 2 == 0 ? 0.0f : 100.0f;  // blobs at (0, 0) and (100, 100)
    xy.push_back(c + static_cast<float>(rng.Uniform(0, 1)));
    xy.push_back(c + static_cast<float>(rng.Uniform(0, 1)));
  }
  const std::vector<int32_t> order = LocalityOrder(xy);
  std::vector<int32_t> sorted = order;
  std::sort(sorted.begin(), sorted.end());
  std::vector<int32_t> ids(1000);
  std::iota(ids.begin(), ids.end(), 0);
  ASSERT_EQ(sorted, ids);
  // In Z-order each blob is one run: the blob changes exactly once along the order.
  int changes = 0;
  for (size_t i = 1; i < order.size(); ++i) changes += (order[i] % 2) != (order[i - 1] % 2);
  EXPECT_EQ(changes, 1);
  EXPECT_EQ(order, LocalityOrder(xy)) << "deterministic";
}

TEST(LocalityOrderTest, TiesAndDegenerateInputs) {
  EXPECT_TRUE(LocalityOrder({}).empty());
  // All points equal: every key ties, so the order is the input order.
  const std::vector<int32_t> same = LocalityOrder(std::vector<float>(10, 3.0f));
  std::vector<int32_t> ids(5);
  std::iota(ids.begin(), ids.end(), 0);
  EXPECT_EQ(same, ids);
}

TEST(LocalityOrderTest, PermuteGraphKeepsEveryEdge) {
  SparseGraph g;
  g.n = 4;
  g.row_start = {0, 2, 3, 5, 6};
  g.cols = {1, 3, 0, 3, 1, 2};
  g.weights = {0.5f, 0.25f, 0.5f, 1.0f, 0.125f, 1.0f};
  const std::vector<int32_t> order = {2, 0, 3, 1};  // new 0 = old 2, ...
  const SparseGraph p = PermuteGraph(g, order);
  ASSERT_EQ(p.n, 4u);
  ASSERT_EQ(p.cols.size(), g.cols.size());
  std::vector<int32_t> rename(4);
  for (int i = 0; i < 4; ++i) rename[order[i]] = i;
  std::set<std::tuple<int, int, float>> want, got;
  for (size_t i = 0; i < g.n; ++i) {
    for (size_t e = g.row_start[i]; e < g.row_start[i + 1]; ++e)
      want.emplace(rename[i], rename[g.cols[e]], g.weights[e]);
  }
  for (size_t i = 0; i < p.n; ++i) {
    for (size_t e = p.row_start[i]; e < p.row_start[i + 1]; ++e) {
      got.emplace(static_cast<int>(i), p.cols[e], p.weights[e]);
      if (e > p.row_start[i]) {
        EXPECT_LT(p.cols[e - 1], p.cols[e]) << "row " << i << " sorted";
      }
    }
  }
  EXPECT_EQ(want, got);
}

}  // namespace
}  // namespace photomap::map
