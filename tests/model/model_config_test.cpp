// config.json / open_clip_config.json parsing, and model directories whose weights disagree with
// their config (missing tensors, wrong shapes), OpenCLIP naming and sharded checkpoints.
#include "model/model_config.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "model/encoder.h"
#include "model/graph_test_util.h"
#include "model/safetensors.h"
#include "model/weights.h"

namespace photomap::model {
namespace {

namespace fs = std::filesystem;
const std::string kFixtures = std::string(PHOTOMAP_SHARED_DIR) + "/fixtures/clip/";

std::string ReadText(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

void WriteText(const fs::path& p, const std::string& text) {
  std::ofstream out(p, std::ios::binary | std::ios::trunc);
  out << text;
}

fs::path FreshDir(const std::string& name) {
  fs::path d = fs::path(::testing::TempDir()) / ("photomap_model_" + name);
  fs::remove_all(d);
  fs::create_directories(d);
  return d;
}

TEST(ModelConfigTest, ParsesClipFixture) {
  auto c = LoadModelConfig(kFixtures + "clip_quickgelu");
  ASSERT_TRUE(c.ok()) << c.error().message;
  EXPECT_EQ(c->family, ModelFamily::kClip);
  EXPECT_EQ(c->naming, WeightNaming::kHuggingFace);
  EXPECT_EQ(c->projection_dim, 32);  // top level, not the sub-configs' unused 512
  EXPECT_EQ(c->vision.hidden_size, 64);
  EXPECT_EQ(c->vision.num_layers, 2);
  EXPECT_EQ(c->vision.num_heads, 4);
  EXPECT_EQ(c->vision.patch_size, 8);
  EXPECT_EQ(c->vision.image_size, 32);
  EXPECT_EQ(c->vision.num_patches(), 16);
  EXPECT_EQ(c->vision.intermediate_size, 128);
  EXPECT_EQ(c->vision.act, Activation::kQuickGelu);
  EXPECT_EQ(c->text.hidden_size, 48);
  EXPECT_EQ(c->text.vocab_size, 120);
  EXPECT_EQ(c->text.max_positions, 16);
  EXPECT_EQ(c->text.eos_token_id, 119);
  EXPECT_EQ(c->text.bos_token_id, 118);
  EXPECT_EQ(c->text.pooling, TextPooling::kEosToken);
  EXPECT_TRUE(c->text.causal);
  EXPECT_FLOAT_EQ(c->text.layer_norm_eps, 1e-5f);
  auto g = LoadModelConfig(kFixtures + "clip_gelu");
  ASSERT_TRUE(g.ok());
  EXPECT_EQ(g->vision.act, Activation::kGelu);
  EXPECT_EQ(g->text.act, Activation::kGelu);
}

TEST(ModelConfigTest, ParsesSiglipFixture) {
  auto c = LoadModelConfig(kFixtures + "siglip");
  ASSERT_TRUE(c.ok()) << c.error().message;
  EXPECT_EQ(c->family, ModelFamily::kSiglip);
  EXPECT_EQ(c->vision.act, Activation::kGeluTanh);
  EXPECT_FLOAT_EQ(c->vision.layer_norm_eps, 1e-6f);
  EXPECT_EQ(c->text.pooling, TextPooling::kLastToken);
  EXPECT_FALSE(c->text.causal);
  EXPECT_EQ(c->projection_dim, 48);  // text projection_size
  EXPECT_TRUE(c->vision.use_head);
}

TEST(ModelConfigTest, MissingFieldsTakeTransformersDefaults) {
  // openai/clip-vit-base-patch32 style: sub-configs mostly empty; legacy eos_token_id 2.
  auto c = ParseHfConfig(R"({"model_type": "clip", "text_config": {"eos_token_id": 2},
                             "vision_config": {}})",
                         "config.json");
  ASSERT_TRUE(c.ok()) << c.error().message;
  EXPECT_EQ(c->vision.hidden_size, 768);
  EXPECT_EQ(c->vision.patch_size, 32);
  EXPECT_EQ(c->vision.image_size, 224);
  EXPECT_EQ(c->vision.num_heads, 12);
  EXPECT_EQ(c->text.hidden_size, 512);
  EXPECT_EQ(c->text.num_heads, 8);
  EXPECT_EQ(c->text.vocab_size, 49408);
  EXPECT_EQ(c->text.max_positions, 77);
  EXPECT_EQ(c->projection_dim, 512);
  EXPECT_EQ(c->text.pooling, TextPooling::kArgmaxId);
  auto s = ParseHfConfig(R"({"architectures": ["SiglipModel"]})", "config.json");
  ASSERT_TRUE(s.ok()) << s.error().message;
  EXPECT_EQ(s->family, ModelFamily::kSiglip);
  EXPECT_EQ(s->vision.patch_size, 16);
  EXPECT_EQ(s->text.max_positions, 64);
  EXPECT_EQ(s->projection_dim, 768);
}

TEST(ModelConfigTest, Activations) {
  EXPECT_EQ(*ParseActivation("quick_gelu"), Activation::kQuickGelu);
  EXPECT_EQ(*ParseActivation("gelu"), Activation::kGelu);
  EXPECT_EQ(*ParseActivation("gelu_pytorch_tanh"), Activation::kGeluTanh);
  EXPECT_EQ(*ParseActivation("gelu_new"), Activation::kGeluTanh);
  auto bad = ParseActivation("swish");
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().kind, ErrorKind::kUnsupported);
}

TEST(ModelConfigTest, RejectsBadConfigs) {
  struct Case {
    const char* json;
    ErrorKind kind;
    const char* needle;
  };
  const Case cases[] = {
      {"not json", ErrorKind::kCorrupt, "not a JSON object"},
      {R"({"model_type": "bert"})", ErrorKind::kUnsupported, "bert"},
      {R"({"model_type": "siglip2"})", ErrorKind::kUnsupported, "siglip2"},
      {R"({"model_type": "clip", "vision_config": {"hidden_size": "big"}})", ErrorKind::kCorrupt,
       "hidden_size"},
      {R"({"model_type": "clip", "vision_config": {"hidden_size": 100}})", ErrorKind::kCorrupt,
       "divisible"},
      {R"({"model_type": "clip", "vision_config": {"patch_size": 30}})", ErrorKind::kCorrupt,
       "multiple of patch_size"},
      {R"({"model_type": "clip", "text_config": {"hidden_act": "mish"}})", ErrorKind::kUnsupported,
       "mish"},
      {R"({"model_type": "clip", "text_config": {"num_hidden_layers": 0}})", ErrorKind::kCorrupt,
       "positive"},
      {R"({"model_type": "clip", "projection_dim": -1})", ErrorKind::kCorrupt, "projection_dim"},
  };
  for (const auto& c : cases) {
    auto r = ParseHfConfig(c.json, "cfg.json");
    ASSERT_FALSE(r.ok()) << c.json;
    EXPECT_EQ(r.error().kind, c.kind) << c.json << " -> " << r.error().message;
    EXPECT_NE(r.error().message.find(c.needle), std::string::npos) << r.error().message;
    EXPECT_NE(r.error().message.find("cfg.json"), std::string::npos) << r.error().message;
  }
  auto none = LoadModelConfig(::testing::TempDir() + "/no_such_model_dir");
  ASSERT_FALSE(none.ok());
  EXPECT_EQ(none.error().kind, ErrorKind::kNotFound);
}

TEST(ModelConfigTest, ParsesOpenClipConfig) {
  auto c = ParseOpenClipConfig(R"({"model_cfg": {"embed_dim": 768, "quick_gelu": true,
      "vision_cfg": {"image_size": 224, "layers": 24, "width": 1024, "patch_size": 14},
      "text_cfg": {"context_length": 77, "vocab_size": 49408, "width": 768, "heads": 12,
                   "layers": 12}},
      "preprocess_cfg": {"mean": [0.48145466, 0.4578275, 0.40821073]}})",
                               "open_clip_config.json");
  ASSERT_TRUE(c.ok()) << c.error().message;
  EXPECT_EQ(c->naming, WeightNaming::kOpenClip);
  EXPECT_EQ(c->vision.num_heads, 16);  // width / head_width 64
  EXPECT_EQ(c->vision.intermediate_size, 4096);
  EXPECT_EQ(c->vision.act, Activation::kQuickGelu);
  EXPECT_EQ(c->text.intermediate_size, 3072);
  EXPECT_EQ(c->text.pooling, TextPooling::kArgmaxId);
  EXPECT_EQ(c->projection_dim, 768);
  auto gelu = ParseOpenClipConfig(R"({"model_cfg": {"embed_dim": 512, "vision_cfg": {},
                                    "text_cfg": {}}})",
                                  "oc.json");
  ASSERT_TRUE(gelu.ok()) << gelu.error().message;
  EXPECT_EQ(gelu->vision.act, Activation::kGelu);
  auto timm = ParseOpenClipConfig(R"({"model_cfg": {"embed_dim": 512,
      "vision_cfg": {"timm_model_name": "convnext_base"}, "text_cfg": {}}})",
                                  "oc.json");
  ASSERT_FALSE(timm.ok());
  EXPECT_EQ(timm.error().kind, ErrorKind::kUnsupported);
}

// A copy of a fixture directory whose weights file is rewritten through `edit`.
fs::path CopyWithEditedWeights(
    const std::string& fixture, const std::string& name,
    const std::function<void(std::vector<std::pair<std::string, Tensor>>&)>& edit) {
  fs::path dir = FreshDir(name);
  fs::copy_file(kFixtures + fixture + "/config.json", dir / "config.json");
  auto f = SafetensorsFile::Open(kFixtures + fixture + "/model.safetensors");
  EXPECT_TRUE(f.ok());
  std::vector<std::pair<std::string, Tensor>> tensors;
  for (const auto& n : f->Names()) tensors.emplace_back(n, f->Load(n).value());
  edit(tensors);
  std::vector<NamedTensor> named;
  for (const auto& [n, t] : tensors) named.push_back({n, &t, Dtype::kF32});
  EXPECT_TRUE(WriteSafetensors(dir / "model.safetensors", named).ok());
  return dir;
}

TEST(ModelDirTest, MissingTensorIsNamed) {
  const std::string victim = "text_model.encoder.layers.1.mlp.fc2.bias";
  auto dir = CopyWithEditedWeights("clip_quickgelu", "missing", [&](auto& ts) {
    std::erase_if(ts, [&](const auto& p) { return p.first == victim; });
  });
  auto enc = Encoder::Load(dir);
  ASSERT_FALSE(enc.ok());
  EXPECT_EQ(enc.error().kind, ErrorKind::kNotFound);
  EXPECT_NE(enc.error().message.find(victim), std::string::npos) << enc.error().message;
  EXPECT_NE(enc.error().message.find("model.safetensors"), std::string::npos);
}

TEST(ModelDirTest, ShapeMismatchWithConfigIsNamed) {
  fs::path dir = FreshDir("shape");
  auto cfg = nlohmann::json::parse(ReadText(kFixtures + "clip_quickgelu/config.json"));
  cfg["vision_config"]["intermediate_size"] = 256;  // the weights say 128
  WriteText(dir / "config.json", cfg.dump());
  fs::copy_file(kFixtures + "clip_quickgelu/model.safetensors", dir / "model.safetensors");
  auto enc = Encoder::Load(dir);
  ASSERT_FALSE(enc.ok());
  EXPECT_EQ(enc.error().kind, ErrorKind::kCorrupt);
  EXPECT_NE(enc.error().message.find("vision_model.encoder.layers.0.mlp.fc1.weight"),
            std::string::npos)
      << enc.error().message;
  EXPECT_NE(enc.error().message.find("[128, 64]"), std::string::npos);
  EXPECT_NE(enc.error().message.find("[256, 64]"), std::string::npos);
}

TEST(ModelDirTest, MoreLayersThanConfigIsAnError) {
  fs::path dir = FreshDir("layers");
  auto cfg = nlohmann::json::parse(ReadText(kFixtures + "clip_quickgelu/config.json"));
  cfg["text_config"]["num_hidden_layers"] = 1;
  WriteText(dir / "config.json", cfg.dump());
  fs::copy_file(kFixtures + "clip_quickgelu/model.safetensors", dir / "model.safetensors");
  auto enc = Encoder::Load(dir);
  ASSERT_FALSE(enc.ok());
  EXPECT_NE(enc.error().message.find("text_model.encoder.layers.1"), std::string::npos)
      << enc.error().message;
}

TEST(ModelDirTest, NoWeightsFileSaysWhatIsExpected) {
  fs::path dir = FreshDir("noweights");
  fs::copy_file(kFixtures + "clip_quickgelu/config.json", dir / "config.json");
  auto enc = Encoder::Load(dir);
  ASSERT_FALSE(enc.ok());
  EXPECT_EQ(enc.error().kind, ErrorKind::kNotFound);
  EXPECT_NE(enc.error().message.find("model.safetensors"), std::string::npos);
}

TEST(ModelDirTest, Bf16AndF16CheckpointsLoad) {
  for (Dtype dtype : {Dtype::kF16, Dtype::kBF16}) {
    fs::path dir = FreshDir(std::string("half_") + DtypeName(dtype));
    fs::copy_file(kFixtures + "clip_quickgelu/config.json", dir / "config.json");
    auto f = SafetensorsFile::Open(kFixtures + "clip_quickgelu/model.safetensors");
    ASSERT_TRUE(f.ok());
    std::vector<std::pair<std::string, Tensor>> ts;
    for (const auto& n : f->Names()) ts.emplace_back(n, f->Load(n).value());
    std::vector<NamedTensor> named;
    for (const auto& [n, t] : ts) named.push_back({n, &t, dtype});
    ASSERT_TRUE(WriteSafetensors(dir / "model.safetensors", named).ok());
    auto enc = Encoder::Load(dir);
    ASSERT_TRUE(enc.ok()) << enc.error().message;
    auto px = golden::LoadNpy(kFixtures + "clip_quickgelu/pixel_values.npy");
    auto want = golden::LoadNpy(kFixtures + "clip_quickgelu/image_embeds.npy");
    auto e = (*enc)->EncodeImages(px.f32, 3);
    ASSERT_TRUE(e.ok());
    for (int i = 0; i < 3; ++i) {
      // Rounded weights: close to the fp32 reference, not equal.
      EXPECT_GT(golden::Cosine(e->row(i).data(), want.f32.data() + i * e->dim, e->dim), 0.99)
          << DtypeName(dtype);
    }
  }
}

// The HF fixture re-exported under OpenCLIP names (fused in_proj, transposed projections,
// open_clip_config.json) must give the same embeddings.
TEST(ModelDirTest, OpenClipNamingGivesTheSameEmbeddings) {
  fs::path dir = FreshDir("openclip");
  auto f = SafetensorsFile::Open(kFixtures + "clip_quickgelu/model.safetensors");
  ASSERT_TRUE(f.ok());
  std::vector<std::pair<std::string, Tensor>> out;
  auto transpose = [](const Tensor& t) {
    Tensor r({t.shape[1], t.shape[0]});
    for (int64_t i = 0; i < t.shape[0]; ++i) {
      for (int64_t j = 0; j < t.shape[1]; ++j)
        r.data[j * t.shape[0] + i] = t.data[i * t.shape[1] + j];
    }
    return r;
  };
  for (const auto& name : f->Names()) {
    Tensor t = f->Load(name).value();
    if (name == "visual_projection.weight") {
      out.emplace_back("visual.proj", transpose(t));
    } else if (name == "text_projection.weight") {
      out.emplace_back("text_projection", transpose(t));
    } else if (name.find("self_attn.q_proj.") != std::string::npos) {
      // Stack q, k, v into in_proj_{weight,bias}.
      std::string k = name, v = name;
      k.replace(k.find("q_proj"), 6, "k_proj");
      v.replace(v.find("q_proj"), 6, "v_proj");
      Tensor tk = f->Load(k).value(), tv = f->Load(v).value();
      Tensor fused = t;
      fused.shape[0] *= 3;
      fused.data.insert(fused.data.end(), tk.data.begin(), tk.data.end());
      fused.data.insert(fused.data.end(), tv.data.begin(), tv.data.end());
      std::string oc = OpenClipNameFor(name);
      ASSERT_FALSE(oc.empty()) << name;
      out.emplace_back(oc, std::move(fused));
    } else if (name.find("self_attn.k_proj.") != std::string::npos ||
               name.find("self_attn.v_proj.") != std::string::npos) {
      continue;
    } else {
      std::string oc = OpenClipNameFor(name);
      ASSERT_FALSE(oc.empty()) << name;
      out.emplace_back(oc, std::move(t));
    }
  }
  std::vector<NamedTensor> named;
  for (const auto& [n, t] : out) named.push_back({n, &t, Dtype::kF32});
  ASSERT_TRUE(WriteSafetensors(dir / "open_clip_model.safetensors", named).ok());
  WriteText(dir / "open_clip_config.json", R"({"model_cfg": {"embed_dim": 32, "quick_gelu": true,
      "vision_cfg": {"image_size": 32, "layers": 2, "width": 64, "patch_size": 8,
                     "head_width": 16, "mlp_ratio": 2.0},
      "text_cfg": {"context_length": 16, "vocab_size": 120, "width": 48, "heads": 4,
                   "layers": 2, "mlp_ratio": 2.0}}})");
  auto enc = Encoder::Load(dir);
  ASSERT_TRUE(enc.ok()) << enc.error().message;
  EXPECT_EQ((*enc)->config().naming, WeightNaming::kOpenClip);
  auto px = golden::LoadNpy(kFixtures + "clip_quickgelu/pixel_values.npy");
  auto img = (*enc)->EncodeImages(px.f32, 3);
  ASSERT_TRUE(img.ok());
  EXPECT_TRUE(golden::Close("openclip image_embeds", img->data, {3, img->dim},
                            golden::LoadNpy(kFixtures + "clip_quickgelu/image_embeds.npy")));
  auto ids = golden::LoadNpy(kFixtures + "clip_quickgelu/input_ids.npy");
  auto ids32 = golden::ToInt32(ids.i64);
  // Argmax pooling (OpenCLIP) lands on the eos token here: it is the highest id.
  auto txt = (*enc)->EncodeTexts(ids32, 3, 16);
  ASSERT_TRUE(txt.ok());
  EXPECT_TRUE(golden::Close("openclip text_embeds", txt->data, {3, txt->dim},
                            golden::LoadNpy(kFixtures + "clip_quickgelu/text_embeds.npy")));
}

TEST(ModelDirTest, ShardedCheckpointLoads) {
  fs::path dir = FreshDir("sharded");
  fs::copy_file(kFixtures + "siglip/config.json", dir / "config.json");
  auto f = SafetensorsFile::Open(kFixtures + "siglip/model.safetensors");
  ASSERT_TRUE(f.ok());
  std::vector<std::pair<std::string, Tensor>> ts;
  for (const auto& n : f->Names()) ts.emplace_back(n, f->Load(n).value());
  std::vector<NamedTensor> a, b;
  nlohmann::json index = {{"metadata", {{"total_size", 0}}},
                          {"weight_map", nlohmann::json::object()}};
  for (size_t i = 0; i < ts.size(); ++i) {
    const char* shard =
        i % 2 ? "model-00002-of-00002.safetensors" : "model-00001-of-00002.safetensors";
    (i % 2 ? b : a).push_back({ts[i].first, &ts[i].second, Dtype::kF32});
    index["weight_map"][ts[i].first] = shard;
  }
  ASSERT_TRUE(WriteSafetensors(dir / "model-00001-of-00002.safetensors", a).ok());
  ASSERT_TRUE(WriteSafetensors(dir / "model-00002-of-00002.safetensors", b).ok());
  WriteText(dir / "model.safetensors.index.json", index.dump());
  auto enc = Encoder::Load(dir);
  ASSERT_TRUE(enc.ok()) << enc.error().message;
  auto px = golden::LoadNpy(kFixtures + "siglip/pixel_values.npy");
  auto img = (*enc)->EncodeImages(px.f32, static_cast<int>(px.shape[0]));
  ASSERT_TRUE(img.ok());
  EXPECT_TRUE(golden::Close("sharded siglip image_embeds", img->data, {img->rows, img->dim},
                            golden::LoadNpy(kFixtures + "siglip/image_embeds.npy")));
}

}  // namespace
}  // namespace photomap::model
