#include "config/config_file.h"

#include <gtest/gtest.h>

#include "config/album_json.h"

namespace photomap::config {
namespace {

PathContext Paths() { return PathContext{"/home/u", "/home/u/.local/share/photomap"}; }

// A config.yaml as PhotoMapAI 1.2.1 writes it (yaml.safe_dump, sorted keys, indent 2).
constexpr const char* kPhotoMapAiConfig = R"(albums:
  family:
    description: Family photos
    encoder_spec: open-clip:ViT-L-14/dfn2b_s39b
    image_paths:
    - /photos/family
    - ~/more
    index: /photos/family/photomap_index/embeddings.npz
    max_search_results: 100
    min_image_bytes: 8192
    min_image_dimension: 256
    min_search_score: 0.1
    name: Family
    source_type: directory
    umap_eps: 0.07
    use_query_optimization: true
  trips:
    image_paths:
    - /photos/trips
    index: /photos/trips/photomap_index/embeddings.npz
config_version: 1.1.0
encoder_idle_timeout_seconds: 30.0
invokeai_board_id: null
invokeai_password: null
invokeai_url: null
invokeai_username: null
locationiq_api_key: pk.abcdef
)";

TEST(ConfigFileTest, ReadsPhotoMapAiConfig) {
  std::vector<LoadNotice> notices;
  auto c = ParseConfigYaml(kPhotoMapAiConfig, "/c.yaml", Paths(), &notices);
  ASSERT_TRUE(c.ok()) << c.error().message;
  ASSERT_EQ(c->albums.size(), 2u);
  const Album& f = c->albums[0];
  EXPECT_EQ(f.key, "family");
  EXPECT_EQ(f.name, "Family");
  EXPECT_EQ(f.description, "Family photos");
  EXPECT_EQ(f.image_paths, (std::vector<std::string>{"/photos/family", "/home/u/more"}));
  EXPECT_EQ(f.encoder_spec, "open-clip:ViT-L-14/dfn2b_s39b");
  ASSERT_TRUE(f.umap_eps.has_value());
  EXPECT_DOUBLE_EQ(*f.umap_eps, 0.07);
  EXPECT_DOUBLE_EQ(f.min_search_score, 0.1);
  // Load defaults for an album that only names paths and index.
  const Album& t = c->albums[1];
  EXPECT_EQ(t.name, "Trips");
  EXPECT_EQ(t.encoder_spec, kLegacyEncoderSpec);
  EXPECT_DOUBLE_EQ(t.min_search_score, 0.2);
  EXPECT_EQ(t.min_image_dimension, 256);
  EXPECT_EQ(t.min_image_bytes, 8192);
  EXPECT_TRUE(t.use_query_optimization);
  EXPECT_FALSE(t.umap_eps.has_value());
  EXPECT_EQ(c->locationiq_api_key.value_or(""), "pk.abcdef");
  EXPECT_TRUE(notices.empty());
}

TEST(ConfigFileTest, RoundTripKeepsEverythingAndSortsKeys) {
  auto c = ParseConfigYaml(kPhotoMapAiConfig, "/c.yaml", Paths(), nullptr);
  ASSERT_TRUE(c.ok());
  std::string text = SerializeConfigYaml(*c);
  EXPECT_LT(text.find("albums:"), text.find("config_version:"));
  EXPECT_LT(text.find("config_version:"), text.find("locationiq_api_key:"));
  EXPECT_EQ(text.find("invokeai_root"), std::string::npos) << "board keys only for boards";
  auto again = ParseConfigYaml(text, "/c.yaml", Paths(), nullptr);
  ASSERT_TRUE(again.ok()) << again.error().message << "\n" << text;
  ASSERT_EQ(again->albums.size(), 2u);
  EXPECT_EQ(again->albums[0].image_paths, c->albums[0].image_paths);
  EXPECT_DOUBLE_EQ(*again->albums[0].umap_eps, 0.07);
  EXPECT_FALSE(again->albums[1].umap_eps.has_value());
  EXPECT_EQ(text.find("umap_eps: null"), std::string::npos) << "null eps is an absent key";
  EXPECT_NE(text.find("umap_eps: 0.07"), std::string::npos) << text;
}

TEST(ConfigFileTest, NumericLookingStringsStayStrings) {
  Config c;
  Album a;
  a.key = "2024";
  a.name = "2024";
  a.description = "yes";
  a.image_paths = {"/p/1.5"};
  a.index = "/p/i.npz";
  c.albums.push_back(a);
  auto back = ParseConfigYaml(SerializeConfigYaml(c), "/c.yaml", Paths(), nullptr);
  ASSERT_TRUE(back.ok()) << back.error().message;
  EXPECT_EQ(back->albums[0].key, "2024");
  EXPECT_EQ(back->albums[0].name, "2024");
  EXPECT_EQ(back->albums[0].description, "yes");
  EXPECT_EQ(back->albums[0].image_paths[0], "/p/1.5");
}

TEST(ConfigFileTest, UnknownKeysSurviveASave) {
  std::string text = std::string(kPhotoMapAiConfig) + "future_setting:\n  nested: [1, 2]\n";
  auto c = ParseConfigYaml(text, "/c.yaml", Paths(), nullptr);
  ASSERT_TRUE(c.ok());
  std::string out = SerializeConfigYaml(*c);
  EXPECT_NE(out.find("future_setting"), std::string::npos);
  EXPECT_NE(out.find("nested"), std::string::npos);
}

TEST(ConfigFileTest, MalformedYamlNamesFileAndLine) {
  auto c =
      ParseConfigYaml("albums:\n  a:\n    name: [unclosed\n", "/cfg/config.yaml", Paths(), nullptr);
  ASSERT_FALSE(c.ok());
  EXPECT_EQ(c.error().kind, ErrorKind::kCorrupt);
  EXPECT_NE(c.error().message.find("/cfg/config.yaml"), std::string::npos) << c.error().message;
  EXPECT_NE(c.error().message.find("line "), std::string::npos) << c.error().message;
}

TEST(ConfigFileTest, InvalidAlbumFailsTheLoadWithTheField) {
  auto c = ParseConfigYaml("albums:\n  a:\n    image_paths: [/x]\n", "/c.yaml", Paths(), nullptr);
  ASSERT_FALSE(c.ok());
  EXPECT_NE(c.error().message.find("album 'a'"), std::string::npos) << c.error().message;
  EXPECT_NE(c.error().message.find("index"), std::string::npos) << c.error().message;
  auto bad_ext = ParseConfigYaml("albums:\n  a:\n    image_paths: [/x]\n    index: /x/i.db\n",
                                 "/c.yaml", Paths(), nullptr);
  ASSERT_FALSE(bad_ext.ok());
  EXPECT_NE(bad_ext.error().message.find(".npz"), std::string::npos);
  auto empty_paths = ParseConfigYaml("albums:\n  a:\n    image_paths: []\n    index: /x/i.npz\n",
                                     "/c.yaml", Paths(), nullptr);
  EXPECT_FALSE(empty_paths.ok());
  auto bad_version = ParseConfigYaml("config_version: one\n", "/c.yaml", Paths(), nullptr);
  EXPECT_FALSE(bad_version.ok());
}

TEST(ConfigFileTest, RepairsStoredUmapEps) {
  auto load = [](const std::string& eps) {
    std::vector<LoadNotice> notices;
    auto c = ParseConfigYaml(
        "albums:\n  a:\n    image_paths: [/x]\n    index: /x/i.npz\n"
        "    umap_eps: " +
            eps + "\n",
        "/c.yaml", Paths(), &notices);
    EXPECT_TRUE(c.ok()) << eps << ": " << (c.ok() ? "" : c.error().message);
    return c.ok() ? c->albums[0].umap_eps : std::optional<double>(-1);
  };
  EXPECT_FALSE(load("0").has_value());
  EXPECT_FALSE(load("-1").has_value());
  EXPECT_FALSE(load(".nan").has_value());
  EXPECT_FALSE(load(".inf").has_value());
  EXPECT_FALSE(load("false").has_value());
  EXPECT_FALSE(load("null").has_value());
  EXPECT_DOUBLE_EQ(load("0.001").value(), 0.01);
  EXPECT_DOUBLE_EQ(load("'0.3'").value(), 0.3);
  EXPECT_DOUBLE_EQ(load("0.25").value(), 0.25);
  auto bad = ParseConfigYaml(
      "albums:\n  a:\n    image_paths: [/x]\n    index: /x/i.npz\n"
      "    umap_eps: wide\n",
      "/c.yaml", Paths(), nullptr);
  EXPECT_FALSE(bad.ok()) << "a non-number is left for validation to reject";
}

TEST(ConfigFileTest, MigratesOldScoreFloorOnce) {
  const std::string old_config =
      "config_version: 1.0.0\nalbums:\n"
      "  oc:\n    image_paths: [/x]\n    index: /x/i.npz\n"
      "    encoder_spec: open-clip:ViT-L-14/dfn2b_s39b\n    min_search_score: 0.2\n"
      "  oa:\n    image_paths: [/y]\n    index: /y/i.npz\n"
      "    encoder_spec: openai-clip:ViT-B/32\n    min_search_score: 0.2\n"
      "  tuned:\n    image_paths: [/z]\n    index: /z/i.npz\n"
      "    encoder_spec: open-clip:ViT-L-14/dfn2b_s39b\n    min_search_score: 0.15\n";
  std::vector<LoadNotice> notices;
  auto c = ParseConfigYaml(old_config, "/c.yaml", Paths(), &notices);
  ASSERT_TRUE(c.ok()) << c.error().message;
  EXPECT_DOUBLE_EQ(c->FindAlbum("oc")->min_search_score, 0.1);
  EXPECT_DOUBLE_EQ(c->FindAlbum("oa")->min_search_score, 0.2);
  EXPECT_DOUBLE_EQ(c->FindAlbum("tuned")->min_search_score, 0.15);
  EXPECT_EQ(c->config_version, kConfigVersion);
  EXPECT_EQ(notices.size(), 1u);
  // A newer stamp is left alone: no migration.
  std::string newer = old_config;
  newer.replace(newer.find("1.0.0"), 5, "1.2.0");
  auto n = ParseConfigYaml(newer, "/c.yaml", Paths(), nullptr);
  ASSERT_TRUE(n.ok());
  EXPECT_DOUBLE_EQ(n->FindAlbum("oc")->min_search_score, 0.2);
  EXPECT_EQ(n->config_version, "1.2.0");
}

TEST(ConfigFileTest, BoardAlbumDerivesPathsAndIndex) {
  auto c = ParseConfigYaml(
      "albums:\n  gen:\n    source_type: invokeai_board\n    invokeai_url: http://h:9090\n"
      "    invokeai_root: ~/invokeai\n    invokeai_board_ids: [none]\n    image_paths: "
      "[/ignored]\n",
      "/c.yaml", Paths(), nullptr);
  ASSERT_TRUE(c.ok()) << c.error().message;
  const Album& a = c->albums[0];
  EXPECT_EQ(a.image_paths, (std::vector<std::string>{"/home/u/invokeai/outputs/images",
                                                     "/home/u/invokeai/outputs/videos"}));
  EXPECT_EQ(a.index, "/home/u/.local/share/photomap/indexes/gen/embeddings.npz");
  std::string out = SerializeConfigYaml(*c);
  EXPECT_NE(out.find("invokeai_root"), std::string::npos);
  auto missing = ParseConfigYaml(
      "albums:\n  gen:\n    source_type: invokeai_board\n    invokeai_root: /r\n"
      "    invokeai_board_ids: [b]\n",
      "/c.yaml", Paths(), nullptr);
  ASSERT_FALSE(missing.ok());
  EXPECT_NE(missing.error().message.find("require invokeai_url"), std::string::npos);
}

TEST(ConfigFileTest, VersionCompare) {
  EXPECT_TRUE(VersionOlderThan("1.0.9", "1.1.0"));
  EXPECT_TRUE(VersionOlderThan("1.1", "1.1.0"));
  EXPECT_FALSE(VersionOlderThan("1.1.0", "1.1.0"));
  EXPECT_FALSE(VersionOlderThan("1.10.0", "1.2.0"));
  EXPECT_FALSE(VersionOlderThan("x", "1.1.0"));
}

TEST(AlbumJsonTest, ApiModelValidation) {
  AlbumBuildOptions o;
  o.default_encoder_spec = "openai-clip:ViT-B/32";
  auto v = AlbumFromJson(nlohmann::json{{"key", "k"},
                                        {"name", "K"},
                                        {"image_paths", {"/p"}},
                                        {"index", "/p/e.npz"},
                                        {"encoder_spec", "siglip:x"}},
                         "", Paths(), o);
  ASSERT_TRUE(v.ok());
  EXPECT_DOUBLE_EQ(v.value->min_search_score, 0.005);
  auto bad = AlbumFromJson(nlohmann::json{{"key", "k"},
                                          {"image_paths", nlohmann::json::array()},
                                          {"index", "/p/e.txt"},
                                          {"umap_eps", 0.001},
                                          {"min_image_dimension", 0}},
                           "", Paths(), o);
  ASSERT_FALSE(bad.ok());
  std::vector<std::string> types;
  for (const auto& i : bad.issues) types.push_back(i.type + ":" + i.loc[1].get<std::string>());
  auto has = [&](const std::string& t) {
    return std::find(types.begin(), types.end(), t) != types.end();
  };
  EXPECT_TRUE(has("missing:name"));
  EXPECT_TRUE(has("too_short:image_paths"));
  EXPECT_TRUE(has("value_error:index"));
  EXPECT_TRUE(has("greater_than_equal:umap_eps"));
  EXPECT_TRUE(has("greater_than_equal:min_image_dimension"));
}

}  // namespace
}  // namespace photomap::config
