#include "config/album_patch.h"

#include <gtest/gtest.h>

namespace photomap::config {
namespace {

Album Stored() {
  Album a;
  a.key = "k";
  a.name = "Old";
  a.description = "d";
  a.image_paths = {"/photos"};
  a.index = "/photos/photomap_index/embeddings.npz";
  a.umap_eps = 0.3;
  a.encoder_spec = "open-clip:ViT-L-14/dfn2b_s39b";
  a.min_search_score = 0.12;
  a.min_image_dimension = 100;
  a.min_image_bytes = 0;
  a.use_query_optimization = false;
  return a;
}

Album Patch(const nlohmann::json& payload) {
  auto r = ApplyAlbumPatch(Stored(), payload, PathContext{});
  EXPECT_TRUE(r.ok());
  EXPECT_TRUE(r->album.ok()) << (r->album.issues.empty() ? "" : r->album.issues[0].msg);
  return r->album.value.value_or(Album{});
}

TEST(AlbumDefaultsTest, ScoreFloorsAndDefaultEncoders) {
  EXPECT_DOUBLE_EQ(DefaultMinSearchScore("siglip:google/siglip2-large-patch16-256"), 0.005);
  EXPECT_DOUBLE_EQ(DefaultMinSearchScore("openai-clip:ViT-B/32"), 0.2);
  EXPECT_DOUBLE_EQ(DefaultMinSearchScore("open-clip:ViT-L-14/dfn2b_s39b"), 0.1);
  EXPECT_DOUBLE_EQ(DefaultMinSearchScore("classic:v1"), 0.1);
  EXPECT_DOUBLE_EQ(DefaultMinSearchScore("garbage"), 0.1);
  EXPECT_EQ(DefaultEncoderSpec(true), "open-clip:ViT-L-14/dfn2b_s39b");
  EXPECT_EQ(DefaultEncoderSpec(false), "openai-clip:ViT-B/32");
}

TEST(AlbumPatchTest, KeyAndNameChangeNothingElse) {
  Album a = Patch({{"key", "k"}, {"name", "New"}});
  Album s = Stored();
  EXPECT_EQ(a.name, "New");
  EXPECT_EQ(a.description, s.description);
  EXPECT_EQ(a.source_type, s.source_type);
  EXPECT_EQ(a.encoder_spec, s.encoder_spec);
  EXPECT_DOUBLE_EQ(a.min_search_score, s.min_search_score);
  EXPECT_EQ(a.umap_eps, s.umap_eps);
  EXPECT_EQ(a.min_image_dimension, 100);
  EXPECT_EQ(a.min_image_bytes, 0);
  EXPECT_FALSE(a.use_query_optimization);
  EXPECT_EQ(a.index, s.index);
}

TEST(AlbumPatchTest, NullClearsEpsAbsentKeeps) {
  EXPECT_FALSE(Patch({{"key", "k"}, {"umap_eps", nullptr}}).umap_eps.has_value());
  EXPECT_DOUBLE_EQ(*Patch({{"key", "k"}}).umap_eps, 0.3);
  EXPECT_DOUBLE_EQ(*Patch({{"key", "k"}, {"umap_eps", 0.5}}).umap_eps, 0.5);
}

TEST(AlbumPatchTest, NullKeepsOrdinaryFieldsAndFalsyValuesAreHonoured) {
  Album a = Patch({{"key", "k"}, {"name", nullptr}, {"description", ""}, {"min_image_bytes", 0}});
  EXPECT_EQ(a.name, "Old");
  EXPECT_EQ(a.description, "");
}

TEST(AlbumPatchTest, FloorFollowsEncoderFamilyUnlessSent) {
  EXPECT_DOUBLE_EQ(Patch({{"key", "k"}, {"encoder_spec", "siglip:google/x"}}).min_search_score,
                   0.005);
  EXPECT_DOUBLE_EQ(
      Patch({{"key", "k"}, {"encoder_spec", "open-clip:ViT-B-32/laion2b"}}).min_search_score, 0.12)
      << "same family keeps a tuned floor";
  EXPECT_DOUBLE_EQ(Patch({{"key", "k"}, {"encoder_spec", "siglip:x"}, {"min_search_score", 0.3}})
                       .min_search_score,
                   0.3);
}

TEST(AlbumPatchTest, SourceTypeCannotChange) {
  auto r = ApplyAlbumPatch(Stored(), {{"key", "k"}, {"source_type", "invokeai_board"}}, {});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().kind, ErrorKind::kInvalidInput);
  EXPECT_NE(r.error().message.find("source type cannot be changed"), std::string::npos);
}

TEST(AlbumPatchTest, InvalidValuesAreIssues) {
  auto r = ApplyAlbumPatch(Stored(), {{"key", "k"}, {"umap_eps", 0.001}}, {});
  ASSERT_TRUE(r.ok());
  ASSERT_FALSE(r->album.ok());
  EXPECT_EQ(r->album.issues[0].type, "greater_than_equal");
  EXPECT_EQ(r->album.issues[0].loc, nlohmann::ordered_json::array({"body", "umap_eps"}));
}

TEST(AlbumPatchTest, PasswordRules) {
  Album board;
  board.key = "b";
  board.name = "B";
  board.source_type = kSourceInvokeAiBoard;
  board.invokeai_url = "http://h";
  board.invokeai_root = "/r";
  board.invokeai_board_ids = {"none"};
  board.invokeai_password = "secret";
  board.image_paths = {"/r/outputs/images", "/r/outputs/videos"};
  board.index = "/d/indexes/b/embeddings.npz";
  auto keep = ApplyAlbumPatch(board, {{"key", "b"}, {"invokeai_password", ""}}, {});
  EXPECT_EQ(keep->album.value->invokeai_password.value_or(""), "secret");
  auto clear = ApplyAlbumPatch(board, {{"key", "b"}, {"invokeai_password", nullptr}}, {});
  EXPECT_FALSE(clear->album.value->invokeai_password.has_value());
  auto set = ApplyAlbumPatch(board, {{"key", "b"}, {"invokeai_password", "n"}}, {});
  EXPECT_EQ(set->album.value->invokeai_password.value_or(""), "n");
  auto other_dir = ApplyAlbumPatch(board, {{"key", "b"}, {"image_paths", {"/elsewhere"}}}, {});
  ASSERT_FALSE(other_dir.ok());
  EXPECT_NE(other_dir.error().message.find("cannot be changed or added to"), std::string::npos);
  auto same_dir =
      ApplyAlbumPatch(board, {{"key", "b"}, {"image_paths", {"/r/outputs/images"}}}, {});
  EXPECT_TRUE(same_dir.ok());
}

}  // namespace
}  // namespace photomap::config
