#include "map/cluster_eps.h"

#include <gtest/gtest.h>

#include "map/fixtures_json.h"

namespace photomap::map {
namespace {

// Adaptive eps, resolved eps (span cap, floor, pair budget) and the cache fingerprint equal the
// spec's algorithm run with scikit-learn and numpy (tests/map/make_fixtures.py). Metric: relative
// difference <= 1e-12 (the values are computed by the same operations, so they agree exactly in
// practice); fingerprints as strings.
TEST(ClusterEpsTest, MatchesScikitLearnFixtures) {
  const nlohmann::json fx = testing::LoadFixture("cluster_eps.json");
  for (const auto& c : fx.at("cases")) {
    std::vector<float> xy = testing::Coordinates(c);
    if (c.contains("grid")) {
      const int g = c.at("grid").get<int>();
      for (int a = 0; a < g; ++a) {
        for (int b = 0; b < g; ++b) {
          xy.push_back(static_cast<float>(a) / static_cast<float>(g - 1));
          xy.push_back(static_cast<float>(b) / static_cast<float>(g - 1));
        }
      }
    }
    const size_t n = xy.size() / 2;
    const int ms = c.at("min_samples").get<int>();
    std::optional<double> requested;
    if (!c.at("requested").is_null()) requested = c.at("requested").get<double>();
    if (c.contains("adaptive")) {
      const double want = c.at("adaptive").get<double>();
      EXPECT_NEAR(AdaptiveClusterEps(xy.data(), n, ms), want, 1e-12 * want) << c.at("name");
      EXPECT_EQ(ClusterEpsFingerprint(xy.data(), n, ms), c.at("fingerprint").get<std::string>())
          << c.at("name");
    }
    const double want = c.at("resolved").get<double>();
    EXPECT_NEAR(ResolveClusterEps(xy.data(), n, requested, ms), want, 1e-12 * want) << c.at("name");
  }
}

TEST(ClusterEpsTest, PercentileIsNumpyLinear) {
  // numpy.percentile([1, 2, 4, 8, 16], q) for q = 0, 40, 50, 90, 100.
  const std::vector<double> v = {1, 2, 4, 8, 16};
  EXPECT_DOUBLE_EQ(Percentile(v, 0), 1.0);
  EXPECT_DOUBLE_EQ(Percentile(v, 40), 3.2);
  EXPECT_DOUBLE_EQ(Percentile(v, 50), 4.0);
  EXPECT_DOUBLE_EQ(Percentile(v, 90), 12.8);
  EXPECT_DOUBLE_EQ(Percentile(v, 100), 16.0);
  EXPECT_DOUBLE_EQ(Percentile({7.5}, 60), 7.5);
}

TEST(ClusterEpsTest, Validation) {
  EXPECT_TRUE(ValidateClusterEps(0.01).ok());
  EXPECT_TRUE(ValidateClusterEps(3.0).ok());
  EXPECT_EQ(ValidateClusterEps(0.0099).error().kind, ErrorKind::kInvalidInput);
  EXPECT_EQ(ValidateClusterEps(INFINITY).error().kind, ErrorKind::kInvalidInput);
  EXPECT_EQ(ValidateClusterEps(NAN).error().kind, ErrorKind::kInvalidInput);
}

TEST(ClusterEpsTest, NoPointsFallsBack) {
  EXPECT_DOUBLE_EQ(AdaptiveClusterEps(nullptr, 0, 10), kFallbackClusterEps);
  EXPECT_DOUBLE_EQ(ResolveClusterEps(nullptr, 0, std::nullopt, 10), kFallbackClusterEps);
  EXPECT_DOUBLE_EQ(ResolveClusterEps(nullptr, 0, 0.001, 10), kMinClusterEps);
}

TEST(ClusterEpsTest, FingerprintDependsOnCoordinatesAndMinSamples) {
  const float a[4] = {0, 0, 1, 1}, b[4] = {0, 0, 1, 1.0000001f};
  EXPECT_EQ(ClusterEpsFingerprint(a, 2, 10).size(), 32u);
  EXPECT_NE(ClusterEpsFingerprint(a, 2, 10), ClusterEpsFingerprint(b, 2, 10));
  EXPECT_NE(ClusterEpsFingerprint(a, 2, 10), ClusterEpsFingerprint(a, 2, 1));
}

}  // namespace
}  // namespace photomap::map
