// The stored map layout: file round trip and corruption handling, and UpdateLayout's policy —
// keep an unchanged index, place only new rows (existing points do not move), treat a re-encoded
// row as new, refit on a large change, another encoder or a forced refit.
#include "map/layout_update.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <numeric>

#include "map/layout_file.h"
#include "map/synthetic.h"

namespace photomap::map {
namespace {

std::vector<int64_t> Ids(size_t n, int64_t first = 1) {
  std::vector<int64_t> ids(n);
  std::iota(ids.begin(), ids.end(), first);
  return ids;
}

UmapParams FastParams() {
  UmapParams p;
  p.n_epochs = 60;
  return p;
}

TEST(LayoutFileTest, RoundTripsAndRejectsDamage) {
  StoredLayout layout;
  layout.encoder_spec = "openai-clip:ViT-B/32";
  layout.seed = 7;
  layout.fit_rows = 3;
  layout.drift_rows = 1;
  layout.row_ids = {4, 9, 11};
  layout.checksums = {1, 2, 3};
  layout.xy = {0.5f, 1.5f, -2.f, 3.f, 8.f, 9.f};
  const std::string bytes = EncodeLayout(layout);
  auto back = DecodeLayout(bytes);
  ASSERT_TRUE(back.ok()) << back.error().message;
  EXPECT_EQ(back->encoder_spec, layout.encoder_spec);
  EXPECT_EQ(back->seed, 7u);
  EXPECT_EQ(back->fit_rows, 3u);
  EXPECT_EQ(back->drift_rows, 1u);
  EXPECT_EQ(back->row_ids, layout.row_ids);
  EXPECT_EQ(back->checksums, layout.checksums);
  EXPECT_EQ(back->xy, layout.xy);

  for (size_t cut : {size_t{0}, size_t{5}, size_t{20}, bytes.size() - 1}) {
    auto damaged = DecodeLayout(bytes.substr(0, cut));
    ASSERT_FALSE(damaged.ok()) << "cut at " << cut;
    EXPECT_EQ(damaged.error().kind, ErrorKind::kCorrupt);
  }
  EXPECT_FALSE(DecodeLayout(bytes + "x").ok());
  std::string bad_magic = bytes;
  bad_magic[0] = 'X';
  EXPECT_FALSE(DecodeLayout(bad_magic).ok());
  std::string nan_xy = bytes;
  const float nan = NAN;
  std::memcpy(nan_xy.data() + nan_xy.size() - 4, &nan, 4);
  EXPECT_FALSE(DecodeLayout(nan_xy).ok());

  EXPECT_EQ(LayoutPathForIndex("/a/photomap_index/embeddings.npz"),
            "/a/photomap_index/embeddings.photomap.umap");
  auto missing = ReadLayoutFile("/nonexistent/dir/x.umap");
  ASSERT_TRUE(missing.ok());
  EXPECT_FALSE(missing->has_value());
}

TEST(LayoutUpdateTest, KeepsPlacesAndRefits) {
  const testing::Clusters data = testing::GaussianClusters(5, 60, 16, 0.1, 3);  // 300 rows
  const size_t base_rows = 294;                                                 // 2% more later
  const MatrixView base{data.x.data(), base_rows, data.dim};
  const UmapParams params = FastParams();
  const MapUpdatePolicy policy;

  auto first = UpdateLayout(base, Ids(base_rows), "enc", std::nullopt, params, policy, false);
  ASSERT_TRUE(first.ok()) << first.error().message;
  EXPECT_EQ(first->kind, MapUpdate::kRefit);
  EXPECT_EQ(first->layout.fit_rows, base_rows);
  EXPECT_EQ(first->layout.xy.size(), base_rows * 2);

  // Unchanged index: the stored layout as is.
  auto same = UpdateLayout(base, Ids(base_rows), "enc", first->layout, params, policy, false);
  ASSERT_TRUE(same.ok());
  EXPECT_EQ(same->kind, MapUpdate::kKeep);
  EXPECT_EQ(same->layout.xy, first->layout.xy);

  // 2% new rows: existing points keep their exact positions, the new ones land near their
  // cluster (within the span of the map).
  const MatrixView grown{data.x.data(), data.n, data.dim};
  auto more = UpdateLayout(grown, Ids(data.n), "enc", first->layout, params, policy, false);
  ASSERT_TRUE(more.ok()) << more.error().message;
  EXPECT_EQ(more->kind, MapUpdate::kIncremental);
  EXPECT_EQ(more->added, data.n - base_rows);
  EXPECT_EQ(more->layout.drift_rows, data.n - base_rows);
  for (size_t i = 0; i < base_rows * 2; ++i) ASSERT_EQ(more->layout.xy[i], first->layout.xy[i]);
  for (float v : more->layout.xy) EXPECT_TRUE(std::isfinite(v));

  // A re-encoded row (same id, new embedding) is placed again; the others stay.
  std::vector<float> edited(data.x.begin(), data.x.begin() + base_rows * data.dim);
  edited[0] += 0.5f;
  auto changed = UpdateLayout(MatrixView{edited.data(), base_rows, data.dim}, Ids(base_rows), "enc",
                              first->layout, params, policy, false);
  ASSERT_TRUE(changed.ok());
  EXPECT_EQ(changed->kind, MapUpdate::kIncremental);
  EXPECT_EQ(changed->added, 1u);
  EXPECT_EQ(changed->removed, 1u);
  for (size_t i = 2; i < base_rows * 2; ++i) ASSERT_EQ(changed->layout.xy[i], first->layout.xy[i]);

  // Removing rows only drops them.
  auto fewer = UpdateLayout(MatrixView{data.x.data() + data.dim, base_rows - 1, data.dim},
                            Ids(base_rows - 1, 2), "enc", first->layout, params, policy, false);
  ASSERT_TRUE(fewer.ok());
  EXPECT_EQ(fewer->kind, MapUpdate::kIncremental);
  EXPECT_EQ(fewer->removed, 1u);
  EXPECT_EQ(fewer->layout.xy[0], first->layout.xy[2]);

  // A large change, another encoder or a forced refit fit from scratch.
  auto half = UpdateLayout(MatrixView{data.x.data(), 150, data.dim}, Ids(150), "enc", first->layout,
                           params, policy, false);
  ASSERT_TRUE(half.ok());
  EXPECT_EQ(half->kind, MapUpdate::kRefit);
  auto other = UpdateLayout(base, Ids(base_rows), "other", first->layout, params, policy, false);
  ASSERT_TRUE(other.ok());
  EXPECT_EQ(other->kind, MapUpdate::kRefit);
  auto forced = UpdateLayout(base, Ids(base_rows), "enc", first->layout, params, policy, true);
  ASSERT_TRUE(forced.ok());
  EXPECT_EQ(forced->kind, MapUpdate::kRefit);
  // Same input, same seed: the same layout, byte for byte.
  EXPECT_EQ(forced->layout.xy, first->layout.xy);
}

TEST(LayoutUpdateTest, RejectsMismatchedIdsAndHonoursCancel) {
  const testing::Clusters data = testing::GaussianClusters(2, 20, 8, 0.1, 1);
  const MatrixView x{data.x.data(), data.n, data.dim};
  auto bad = UpdateLayout(x, Ids(data.n - 1), "enc", std::nullopt, FastParams(), {}, false);
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().kind, ErrorKind::kInvalidInput);
  auto cancelled = UpdateLayout(x, Ids(data.n), "enc", std::nullopt, FastParams(), {}, false,
                                [](double) { return false; });
  ASSERT_FALSE(cancelled.ok());
  EXPECT_EQ(cancelled.error().kind, ErrorKind::kCancelled);
}

}  // namespace
}  // namespace photomap::map
