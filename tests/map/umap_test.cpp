#include "map/umap.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <map>

#include "map/dbscan.h"
#include "map/synthetic.h"
#include "map/trustworthiness.h"

namespace photomap::map {
namespace {

MatrixView View(const testing::Clusters& c) { return {c.x.data(), c.n, c.dim}; }

double Span(const std::vector<float>& xy) {
  double span = 0;
  for (int d = 0; d < 2; ++d) {
    float lo = INFINITY, hi = -INFINITY;
    for (size_t i = d; i < xy.size(); i += 2) {
      lo = std::min(lo, xy[i]);
      hi = std::max(hi, xy[i]);
    }
    span = std::max(span, static_cast<double>(hi - lo));
  }
  return span;
}

// The share of points whose DBSCAN cluster's majority truth label equals their own truth label,
// and the number of clusters found.
double Purity(const std::vector<int32_t>& found, const std::vector<int32_t>& truth, int* clusters) {
  std::map<int32_t, std::map<int32_t, int>> votes;
  for (size_t i = 0; i < found.size(); ++i) {
    if (found[i] >= 0) ++votes[found[i]][truth[i]];
  }
  *clusters = static_cast<int>(votes.size());
  size_t good = 0;
  for (const auto& [c, v] : votes) {
    int best = 0;
    for (const auto& [t, count] : v) best = std::max(best, count);
    good += best;
  }
  return static_cast<double>(good) / static_cast<double>(found.size());
}

TEST(UmapTest, FindAbParamsMatchesScipyCurveFit) {
  // scipy.optimize.curve_fit on umap-learn's target (find_ab_params), recorded values.
  const struct {
    double min_dist, a, b;
  } cases[] = {{0.05, 1.7502249632086277, 0.8420553925630879},
               {0.1, 1.5769434601962196, 0.8950608779914887},
               {0.5, 0.583030020479462, 1.3341669929263487}};
  for (const auto& c : cases) {
    const CurveParams p = FindAbParams(1.0, c.min_dist);
    EXPECT_NEAR(p.a, c.a, 1e-5 * c.a) << "min_dist " << c.min_dist;
    EXPECT_NEAR(p.b, c.b, 1e-5 * c.b) << "min_dist " << c.min_dist;
  }
}

// Same input, same parameters: byte-identical layouts; another seed gives another layout.
TEST(UmapTest, DeterministicByteForByte) {
  const testing::Clusters data = testing::GaussianClusters(5, 80, 32, 0.6, 11);
  auto a = FitUmap(View(data));
  auto b = FitUmap(View(data));
  ASSERT_TRUE(a.ok() && b.ok());
  ASSERT_EQ(a->size(), data.n * 2);
  EXPECT_EQ(0, std::memcmp(a->data(), b->data(), a->size() * sizeof(float)));
  UmapParams other;
  other.seed = 99;
  auto c = FitUmap(View(data), other);
  ASSERT_TRUE(c.ok());
  EXPECT_NE(0, std::memcmp(a->data(), c->data(), a->size() * sizeof(float)));
}

// The SGD's edge blocks are part of the result, its threads are not (issue 6): one thread and two
// give the same bytes, run after run, with two blocks forced on a small input and with the
// automatic two blocks above kSgdBlockMinPoints; and two blocks really differ from one.
TEST(UmapTest, SameLayoutWithOneOrTwoThreads) {
  const testing::Clusters data = testing::GaussianClusters(5, 200, 16, 0.6, 7);
  UmapParams p;
  p.sgd_blocks = 2;
  p.threads = 1;
  auto one = FitUmap(View(data), p);
  p.threads = 2;
  auto two = FitUmap(View(data), p);
  auto again = FitUmap(View(data), p);
  p.sgd_blocks = 1;
  auto unblocked = FitUmap(View(data), p);
  ASSERT_TRUE(one.ok() && two.ok() && again.ok() && unblocked.ok());
  EXPECT_EQ(0, std::memcmp(one->data(), two->data(), one->size() * sizeof(float)));
  EXPECT_EQ(0, std::memcmp(one->data(), again->data(), one->size() * sizeof(float)));
  EXPECT_NE(0, std::memcmp(one->data(), unblocked->data(), one->size() * sizeof(float)));

  const testing::Clusters large = testing::GaussianClusters(8, 530, 8, 0.5, 5);
  ASSERT_GE(large.n, kSgdBlockMinPoints);
  UmapParams q;
  q.n_epochs = 40;
  q.threads = 1;
  auto serial = FitUmap(View(large), q);
  q.threads = 2;
  auto parallel = FitUmap(View(large), q);
  ASSERT_TRUE(serial.ok() && parallel.ok());
  EXPECT_EQ(0, std::memcmp(serial->data(), parallel->data(), serial->size() * sizeof(float)));
}

// Five Gaussian clusters (8-d: isotropic noise of higher dimension cannot be laid out in 2-D with
// high trustworthiness by any method): trustworthiness (k = 5, sklearn's definition) >= 0.95, and
// DBSCAN on the layout recovers the five clusters with purity >= 0.95.
TEST(UmapTest, QualityOnFiveGaussians) {
  const testing::Clusters data = testing::GaussianClusters(5, 100, 8, 0.4, 3);
  auto layout = FitUmap(View(data));
  ASSERT_TRUE(layout.ok()) << layout.error().message;
  auto t = Trustworthiness(View(data), *layout, 5);
  ASSERT_TRUE(t.ok());
  EXPECT_GE(*t, 0.95) << "trustworthiness " << *t;
  auto labels = Dbscan(layout->data(), data.n, 0.05 * Span(*layout), 10);
  ASSERT_TRUE(labels.ok());
  int clusters = 0;
  const double purity = Purity(*labels, data.truth, &clusters);
  EXPECT_EQ(clusters, 5);
  EXPECT_GE(purity, 0.95) << "purity " << purity;
}

// Tiny albums get the trivial layout, never an error; N = 4 runs the real pipeline.
TEST(UmapTest, TinyInputs) {
  const testing::Clusters data = testing::GaussianClusters(2, 2, 8, 0.3, 1);
  for (size_t n = 0; n <= 4; ++n) {
    auto layout = FitUmap(MatrixView{data.x.data(), n, data.dim});
    ASSERT_TRUE(layout.ok()) << "N = " << n << ": " << layout.error().message;
    ASSERT_EQ(layout->size(), 2 * n);
    for (float v : *layout) EXPECT_TRUE(std::isfinite(v)) << "N = " << n;
    if (n >= 2) {
      EXPECT_GT(Span(*layout), 0.0) << "N = " << n;
    }
  }
  EXPECT_EQ(TrivialLayout(1), std::vector<float>({0.0f, 0.0f}));
}

// Two groups that share no neighbours (a disconnected kNN graph) and exact duplicates: the
// multi-component initialisation keeps every coordinate finite and the groups apart.
TEST(UmapTest, DisconnectedGraphAndDuplicates) {
  testing::Clusters data = testing::GaussianClusters(2, 40, 16, 0.05, 4);
  for (int i = 0; i < 10; ++i) {  // ten copies of row 0
    data.x.insert(data.x.end(), data.x.begin(), data.x.begin() + data.dim);
    data.truth.push_back(data.truth[0]);
  }
  data.n += 10;
  auto layout = FitUmap(View(data));
  ASSERT_TRUE(layout.ok());
  for (float v : *layout) ASSERT_TRUE(std::isfinite(v));
  auto labels = Dbscan(layout->data(), data.n, 0.1 * Span(*layout), 5);
  ASSERT_TRUE(labels.ok());
  int clusters = 0;
  EXPECT_GE(Purity(*labels, data.truth, &clusters), 0.95);
  EXPECT_EQ(clusters, 2);
}

// Thirty identical rows (all distances 0, every tie broken by index): a finite layout.
TEST(UmapTest, IdenticalRows) {
  const std::vector<float> row = {0.6f, 0.8f, 0.0f};
  std::vector<float> x;
  for (int i = 0; i < 30; ++i) x.insert(x.end(), row.begin(), row.end());
  auto layout = FitUmap(MatrixView{x.data(), 30, 3});
  ASSERT_TRUE(layout.ok()) << layout.error().message;
  for (float v : *layout) EXPECT_TRUE(std::isfinite(v));
}

TEST(UmapTest, RejectsBadInput) {
  std::vector<float> x(40, 0.5f);
  x[7] = NAN;
  EXPECT_EQ(FitUmap(MatrixView{x.data(), 10, 4}).error().kind, ErrorKind::kInvalidInput);
  EXPECT_EQ(FitUmap(MatrixView{x.data(), 10, 0}).error().kind, ErrorKind::kInvalidInput);
}

TEST(UmapTest, CancelStopsTheFit) {
  const testing::Clusters data = testing::GaussianClusters(3, 30, 8, 0.5, 2);
  auto r = FitUmap(View(data), {}, [](double f) { return f < 0.5; });
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().kind, ErrorKind::kCancelled);
}

// A cancel during the SGD of a blocked, two-thread fit (>= kSgdBlockMinPoints points) stops every
// thread. Deciding the stop after the epoch barrier once let one thread leave while the other
// waited at the next barrier for ever; several cancel points make that race likely to show.
TEST(UmapTest, CancelDuringATwoThreadSgdReturns) {
  const testing::Clusters data = testing::GaussianClusters(8, 600, 16, 0.5, 6);
  ASSERT_GE(data.n, kSgdBlockMinPoints);
  UmapParams p;
  p.threads = 2;
  for (double stop_at : {0.31, 0.45, 0.62, 0.8, 0.97}) {
    auto r = FitUmap(View(data), p, [stop_at](double f) { return f < stop_at; });
    ASSERT_FALSE(r.ok()) << "stop at " << stop_at;
    EXPECT_EQ(r.error().kind, ErrorKind::kCancelled);
  }
}

// A cancel during the kNN graph (the first progress answer) stops the fit there.
TEST(UmapTest, CancelDuringTheKnnGraph) {
  const testing::Clusters data = testing::GaussianClusters(10, 500, 16, 0.5, 3);  // IVF path
  std::vector<double> asked;
  auto r = FitUmap(View(data), {}, [&asked](double f) {
    asked.push_back(f);
    return false;
  });
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().kind, ErrorKind::kCancelled);
  ASSERT_EQ(asked.size(), 1u);
  EXPECT_LT(asked[0], 0.2) << "asked only after the kNN graph";
}

// Stable growth: fit on 98%, transform the other 2%. Existing points do not move at all (the
// issue asks for < 1% of the span on average), and each new point lands near its own cluster.
TEST(UmapTest, TransformKeepsTheMapAndPlacesNewPointsNearNeighbours) {
  const testing::Clusters data = testing::GaussianClusters(5, 100, 32, 0.6, 8);
  const size_t old_n = 490, new_n = data.n - old_n;
  const MatrixView old_x{data.x.data(), old_n, data.dim};
  const MatrixView new_x{data.x.data() + old_n * data.dim, new_n, data.dim};
  auto layout = FitUmap(old_x);
  ASSERT_TRUE(layout.ok());
  const std::vector<float> before = *layout;
  auto placed = TransformUmap(old_x, *layout, new_x);
  ASSERT_TRUE(placed.ok()) << placed.error().message;
  ASSERT_EQ(placed->size(), new_n * 2);
  EXPECT_EQ(*layout, before);
  // Each new point is closer to its own cluster's layout centroid than to any other.
  std::vector<double> cx(5, 0), cy(5, 0), cn(5, 0);
  for (size_t i = 0; i < old_n; ++i) {
    cx[data.truth[i]] += before[2 * i];
    cy[data.truth[i]] += before[2 * i + 1];
    cn[data.truth[i]] += 1;
  }
  for (size_t i = 0; i < new_n; ++i) {
    const int own = data.truth[old_n + i];
    int nearest = -1;
    double best = INFINITY;
    for (int c = 0; c < 5; ++c) {
      const double dx = (*placed)[2 * i] - cx[c] / cn[c], dy = (*placed)[2 * i + 1] - cy[c] / cn[c];
      if (dx * dx + dy * dy < best) {
        best = dx * dx + dy * dy;
        nearest = c;
      }
    }
    EXPECT_EQ(nearest, own) << "new point " << i;
  }
  auto again = TransformUmap(old_x, *layout, new_x);
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(*again, *placed);
  // A blocked transform (new points split between blocks) gives the same bytes on 1 or 2 threads.
  UmapParams p;
  p.sgd_blocks = 2;
  p.threads = 1;
  auto serial = TransformUmap(old_x, *layout, new_x, p);
  p.threads = 2;
  auto parallel = TransformUmap(old_x, *layout, new_x, p);
  ASSERT_TRUE(serial.ok() && parallel.ok());
  EXPECT_EQ(*serial, *parallel);
  EXPECT_NE(*serial, *placed);
}

TEST(UmapTest, TransformRejectsMismatchedShapes) {
  const testing::Clusters data = testing::GaussianClusters(2, 10, 8, 0.5, 2);
  const MatrixView x = View(data);
  const std::vector<float> short_layout(10, 0.0f);
  EXPECT_EQ(TransformUmap(x, short_layout, x).error().kind, ErrorKind::kInvalidInput);
  EXPECT_EQ(TransformUmap(MatrixView{}, {}, x).error().kind, ErrorKind::kInvalidInput);
}

TEST(UmapTest, UpdatePolicy) {
  EXPECT_EQ(DecideMapUpdate(1000, 0, 1000, 0, 0), MapUpdate::kKeep);
  EXPECT_EQ(DecideMapUpdate(1000, 0, 1000, 20, 0), MapUpdate::kIncremental);
  EXPECT_EQ(DecideMapUpdate(1000, 0, 990, 40, 10), MapUpdate::kIncremental);  // 5%
  EXPECT_EQ(DecideMapUpdate(1000, 60, 990, 40, 10), MapUpdate::kRefit);       // 11% since the fit
  EXPECT_EQ(DecideMapUpdate(1000, 0, 1000, 101, 0), MapUpdate::kRefit);
  EXPECT_EQ(DecideMapUpdate(0, 0, 0, 5, 0), MapUpdate::kRefit);
  EXPECT_EQ(DecideMapUpdate(30, 0, 30, 1, 0), MapUpdate::kRefit);  // too few rows to anchor
}

}  // namespace
}  // namespace photomap::map
