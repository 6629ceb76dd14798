#include "map/dbscan.h"

#include <gtest/gtest.h>

#include <set>

#include "map/fixtures_json.h"
#include "map/rng.h"

namespace photomap::map {
namespace {

// Every recorded scikit-learn 1.2 DBSCAN run: the same labels, element for element (cluster
// numbering, border ownership, noise, inclusive eps on the integer lattice, duplicates).
TEST(DbscanTest, MatchesScikitLearnFixtures) {
  const nlohmann::json fx = testing::LoadFixture("dbscan.json");
  ASSERT_GE(fx.at("cases").size(), 20u);
  for (const auto& c : fx.at("cases")) {
    const std::vector<float> xy = testing::Coordinates(c);
    auto labels =
        Dbscan(xy.data(), xy.size() / 2, c.at("eps").get<double>(), c.at("min_samples").get<int>());
    ASSERT_TRUE(labels.ok()) << c.at("name") << ": " << labels.error().message;
    const std::vector<int32_t> want = c.at("labels").get<std::vector<int32_t>>();
    ASSERT_EQ(labels->size(), want.size()) << c.at("name");
    size_t mismatches = 0, first = 0;
    for (size_t i = 0; i < want.size(); ++i) {
      if ((*labels)[i] != want[i] && mismatches++ == 0) first = i;
    }
    EXPECT_EQ(mismatches, 0u) << c.at("name") << ": first mismatch at point " << first << " (got "
                              << (*labels)[first] << ", sklearn " << want[first] << ")";
  }
}

TEST(DbscanTest, EmptyInputGivesNoLabels) {
  auto labels = Dbscan(nullptr, 0, 0.5, 10);
  ASSERT_TRUE(labels.ok());
  EXPECT_TRUE(labels->empty());
}

TEST(DbscanTest, RejectsBadParameters) {
  const float xy[4] = {0, 0, 1, 1};
  EXPECT_EQ(Dbscan(xy, 2, -1.0, 5).error().kind, ErrorKind::kInvalidInput);
  EXPECT_EQ(Dbscan(xy, 2, NAN, 5).error().kind, ErrorKind::kInvalidInput);
  EXPECT_EQ(Dbscan(xy, 2, 0.5, 0).error().kind, ErrorKind::kInvalidInput);
  const float bad[4] = {0, NAN, 1, 1};
  EXPECT_EQ(Dbscan(bad, 2, 0.5, 1).error().kind, ErrorKind::kInvalidInput);
}

// 100k points in ten blobs: finishes quickly (kd-tree, not O(N²)); each blob's centre point lies
// in its own cluster, and those ten clusters hold >= 97% of the points.
TEST(DbscanTest, HundredThousandPoints) {
  Rng rng(5);
  std::vector<float> xy(200000);
  for (size_t i = 0; i < 100000; ++i) {
    const bool centre = i < 10;
    xy[2 * i] = static_cast<float>((i % 10) * 5.0 + (centre ? 0.0 : rng.Normal() * 0.3));
    xy[2 * i + 1] = static_cast<float>(centre ? 0.0 : rng.Normal() * 0.3);
  }
  auto labels = Dbscan(xy.data(), 100000, 0.1, 10);
  ASSERT_TRUE(labels.ok());
  std::set<int32_t> blob_clusters;
  for (size_t i = 0; i < 10; ++i) {
    EXPECT_GE((*labels)[i], 0);
    blob_clusters.insert((*labels)[i]);
  }
  EXPECT_EQ(blob_clusters.size(), 10u);
  size_t in_blobs = 0;
  for (int32_t l : *labels) in_blobs += blob_clusters.count(l);
  EXPECT_GE(in_blobs, 97000u);
}

}  // namespace
}  // namespace photomap::map
