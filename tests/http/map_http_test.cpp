// The semantic-map routes against the real server after real indexing with the tiny CLIP
// fixture: umap_data (one point per image, positions a permutation, clusters, media), the
// mapping phase's stored layout (same map after a restart, byte for byte), cluster_labels and
// image_label from the bundled vocabulary, get_umap_eps agreeing with the automatic value, and
// the validation and no-index errors.
#include <filesystem>
#include <set>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "http/album_testing.h"

namespace photomap {
namespace {

using nlohmann::json;
using testing::ServerProcess;
using testing::TempDir;
namespace fs = std::filesystem;

constexpr size_t kPhotos = 14;

class MapHttpTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_EQ(testing::CopyRealPhotos(photos(), kPhotos), kPhotos);
    StartServer();
    auto added = Post("/add_album/", testing::FixtureAlbum("fam", photos()));
    ASSERT_TRUE(added);
    ASSERT_EQ(added->status, 201) << added->body;
  }

  void StartServer() {
    std::string error;
    server_.reset();
    server_ = testing::StartIsolated(dir_, &error);
    ASSERT_NE(server_, nullptr) << error;
  }

  std::string photos() const { return dir_.Join("photos"); }
  httplib::Result Post(const std::string& path, const json& body) {
    return testing::PostJson(*server_, path, body);
  }
  httplib::Result Get(const std::string& path) { return server_->Client().Get(path.c_str()); }

  json GetJson(const std::string& path, int expected_status = 200) {
    auto r = Get(path);
    EXPECT_TRUE(r) << path;
    if (!r) return json();
    EXPECT_EQ(r->status, expected_status) << path << ": " << r->body;
    return json::parse(r->body, nullptr, false);
  }

  void IndexAlbum() {
    json end = testing::IndexAndWait(*server_, "fam");
    ASSERT_EQ(end["status"], "completed") << end.dump();
    EXPECT_EQ(end["warning_message"], nullptr) << end.dump();
  }

  TempDir dir_;
  std::unique_ptr<ServerProcess> server_;
};

TEST_F(MapHttpTest, UmapDataHasOnePointPerImageAndSurvivesRestart) {
  IndexAlbum();
  const std::string index_dir = photos() + "/photomap_index";
  EXPECT_TRUE(fs::exists(index_dir + "/embeddings.photomap.umap")) << "mapping phase stored no map";

  json points = GetJson("/umap_data/fam");
  ASSERT_TRUE(points.is_array()) << points.dump();
  ASSERT_EQ(points.size(), kPhotos);
  std::set<int> positions;
  for (const auto& p : points) {
    ASSERT_TRUE(p["x"].is_number() && p["y"].is_number()) << p.dump();
    EXPECT_EQ(p["media"], "image");
    EXPECT_GE(p["cluster"].get<int>(), -1);
    positions.insert(p["index"].get<int>());
  }
  EXPECT_EQ(positions.size(), kPhotos);
  EXPECT_EQ(*positions.begin(), 0);
  EXPECT_EQ(*positions.rbegin(), static_cast<int>(kPhotos) - 1);

  // One cluster holding everything when eps spans the map and min_samples is small.
  json one = GetJson("/umap_data/fam?cluster_eps=1000&cluster_min_samples=2");
  for (const auto& p : one) EXPECT_EQ(p["cluster"], 0) << p.dump();

  // The stored layout is what the next process serves: identical coordinates.
  StartServer();
  json again = GetJson("/umap_data/fam");
  ASSERT_EQ(again.size(), points.size());
  for (size_t i = 0; i < points.size(); ++i) {
    EXPECT_EQ(again[i]["x"], points[i]["x"]);
    EXPECT_EQ(again[i]["y"], points[i]["y"]);
    EXPECT_EQ(again[i]["index"], points[i]["index"]);
  }
}

TEST_F(MapHttpTest, ClusterLabelsAndImageLabels) {
  IndexAlbum();
  json labels = GetJson("/cluster_labels/fam?cluster_eps=1000&cluster_min_samples=2&top_k=4");
  ASSERT_TRUE(labels["labels"].is_object()) << labels.dump();
  ASSERT_EQ(labels["labels"].size(), 1u) << labels.dump();
  const json& c0 = labels["labels"]["0"];
  EXPECT_FALSE(c0["label"].get<std::string>().empty());
  EXPECT_EQ(c0["alternates"].size(), 3u);
  EXPECT_TRUE(c0["score"].is_number());
  EXPECT_GE(c0["medoid_index"].get<int>(), 0);
  EXPECT_LT(c0["medoid_index"].get<int>(), static_cast<int>(kPhotos));
  EXPECT_FALSE(labels.contains("message"));

  // top_k is honoured even when a label set for the same clusters is cached.
  json two = GetJson("/cluster_labels/fam?cluster_eps=1000&cluster_min_samples=2&top_k=2");
  EXPECT_EQ(two["labels"]["0"]["alternates"].size(), 1u);
  EXPECT_EQ(two["labels"]["0"]["label"], c0["label"]);

  json image = GetJson("/image_label/fam/0?top_k=2");
  EXPECT_FALSE(image["label"].get<std::string>().empty()) << image.dump();
  EXPECT_EQ(image["alternates"].size(), 1u);
  EXPECT_EQ(GetJson("/image_label/fam/" + std::to_string(kPhotos)), json::object());
  EXPECT_EQ(Get("/image_label/fam/abc")->status, 422);

  // The vocabulary embeddings were cached per encoder.
  EXPECT_FALSE(fs::is_empty(dir_.Join("cache") + "/photomap/cluster_vocab"));
}

TEST_F(MapHttpTest, AutomaticEpsAgreesAcrossRoutes) {
  IndexAlbum();
  json got = json::parse(Post("/get_umap_eps/", {{"album", "fam"}})->body);
  EXPECT_EQ(got["auto"], true);
  const double eps = got["eps"].get<double>();
  EXPECT_GT(eps, 0.0);
  // umap_data without cluster_eps clusters at that same value.
  json derived = GetJson("/umap_data/fam");
  json explicit_eps = GetJson("/umap_data/fam?cluster_eps=" + std::to_string(std::max(eps, 0.01)));
  if (eps >= 0.01) {
    for (size_t i = 0; i < derived.size(); ++i) {
      EXPECT_EQ(derived[i]["cluster"], explicit_eps[i]["cluster"]);
    }
  }
  // A stored eps wins.
  ASSERT_EQ(Post("/set_umap_eps/", {{"album", "fam"}, {"eps", 0.5}})->status, 200);
  got = json::parse(Post("/get_umap_eps/", {{"album", "fam"}})->body);
  EXPECT_EQ(got, json({{"success", true}, {"eps", 0.5}, {"auto", false}}));
}

TEST_F(MapHttpTest, ValidationAndMissingIndex) {
  json no_index = GetJson("/umap_data/fam", 404);
  EXPECT_EQ(no_index["detail"], "Index file does not exist");
  EXPECT_EQ(Get("/cluster_labels/fam")->status, 404);
  EXPECT_EQ(Get("/umap_data/nope")->status, 404);
  json eps = json::parse(Post("/get_umap_eps/", {{"album", "fam"}})->body);
  EXPECT_EQ(eps, json({{"success", true}, {"eps", 0.2}, {"auto", true}}));

  for (const std::string bad :
       {"cluster_eps=0.001", "cluster_eps=nan", "cluster_eps=inf", "cluster_eps=abc",
        "cluster_min_samples=0", "cluster_min_samples=x"}) {
    json body = GetJson("/umap_data/fam?" + bad, 422);
    ASSERT_TRUE(body["detail"].is_array()) << bad << ": " << body.dump();
    EXPECT_EQ(body["detail"][0]["loc"][0], "query") << bad;
  }
  EXPECT_EQ(Get("/cluster_labels/fam?top_k=0")->status, 422);
}

}  // namespace
}  // namespace photomap
