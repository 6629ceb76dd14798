#include "media/invokeai_metadata.h"

#include <gtest/gtest.h>

#include "media/meta_test_paths.h"
#include "media/metadata_extractor.h"

namespace photomap::media {
namespace {

using nlohmann::json;
using testing::Photo;

// The normalised record of a shared InvokeAI file, through the full extraction path.
json Normalised(const std::string& relative) {
  Result<json> dict = ExtractMetadata(Photo(relative));
  EXPECT_TRUE(dict.ok()) << relative;
  if (!dict.ok() || !dict->contains("photomap_invokeai")) {
    ADD_FAILURE() << relative << ": no photomap_invokeai";
    return json::object();
  }
  return (*dict)["photomap_invokeai"];
}

json Adapter(const std::string& model, const std::string& image, json weight) {
  return {{"model_name", model}, {"image_name", image}, {"weight", std::move(weight)}};
}

// Expected values are those of PhotoMapAI's tests/backend/test_invoke_metadata.py, whose
// fixtures these PNGs carry (photos README, invokeai/).
TEST(InvokeAiMetadataTest, V2ScalarPrompt) {
  const json m = Normalised("invokeai/invokeai_v2_dream_sd-metadata.png");
  EXPECT_EQ(m["version"], 2);
  EXPECT_EQ(m["source_key"], "sd-metadata");
  EXPECT_EQ(m["app_version"], "2.3.5");
  EXPECT_EQ(m["positive_prompt"], "a mountain landscape");
  EXPECT_EQ(m["negative_prompt"], "");
  EXPECT_EQ(m["model_name"], "stable-diffusion-1.5");  // model_weights wins over model
  EXPECT_EQ(m["seed"], 1234);
  EXPECT_EQ(m["steps"], 20);
  EXPECT_DOUBLE_EQ(m["cfg_scale"].get<double>(), 7.5);
  EXPECT_EQ(m["scheduler"], "k_euler_a");
  EXPECT_EQ(m["width"], 768);
  EXPECT_EQ(m["height"], 512);
  EXPECT_TRUE(m["loras"].empty());
  EXPECT_TRUE(m["reference_images"].empty());
  EXPECT_TRUE(m["control_layers"].empty());
  EXPECT_TRUE(m["raster_images"].empty());
  // The Dream chunk, parsed as an extra.
  EXPECT_EQ(m["dream"]["prompt"], "a mountain landscape");
  EXPECT_EQ(m["dream"]["seed"], 1234);
  EXPECT_EQ(m["dream"]["steps"], 20);
  EXPECT_EQ(m["dream"]["sampler"], "k_euler_a");
}

TEST(InvokeAiMetadataTest, V2ListPrompt) {
  const json m = Normalised("invokeai/invokeai_v2_list_prompt.png");
  EXPECT_EQ(m["version"], 2);
  EXPECT_EQ(m["positive_prompt"], "old style prompt");
  EXPECT_EQ(m["negative_prompt"], "");
  EXPECT_EQ(m["model_name"], "legacy_model");
  EXPECT_EQ(m["seed"], 999);
  EXPECT_EQ(m["dream"]["prompt"], "old style prompt");  // the quoted 2.x form
  EXPECT_EQ(m["dream"]["seed"], 999);
  EXPECT_DOUBLE_EQ(m["dream"]["cfg_scale"].get<double>(), 7.0);
}

TEST(InvokeAiMetadataTest, V3LorasIpAdaptersControlNets) {
  const json m = Normalised("invokeai/invokeai_v3.png");
  EXPECT_EQ(m["version"], 3);
  EXPECT_FALSE(m["version_inferred"]);
  EXPECT_EQ(m["positive_prompt"], "a cat riding a skateboard");
  EXPECT_EQ(m["negative_prompt"], "blurry, low quality");
  EXPECT_EQ(m["model_name"], "dreamshaper");
  EXPECT_EQ(m["model_base"], "sd-1");
  EXPECT_EQ(m["seed"], 42);
  EXPECT_EQ(m["loras"], json::parse(R"([{"model_name":"detail_lora","weight":0.8},
                                         {"model_name":"style_lora","weight":0.5}])"));
  EXPECT_EQ(m["reference_images"], json::array({Adapter("ip_adapter_sd15", "ref.png", 0.5)}));
  EXPECT_EQ(m["control_layers"], json::array({Adapter("canny_sd15", "control.png", 0.7)}));
  EXPECT_TRUE(m["raster_images"].empty());
}

void ExpectV5RefImages(const json& m) {
  EXPECT_EQ(m["version"], 5);
  EXPECT_EQ(m["source_key"], "invokeai_metadata");
  EXPECT_EQ(m["positive_prompt"], "a dog in a hat");
  EXPECT_EQ(m["negative_prompt"], "ugly, deformed");
  EXPECT_EQ(m["model_name"], "flux-schnell");
  EXPECT_EQ(m["seed"], 100);
  EXPECT_EQ(m["loras"], json::parse(R"([{"model_name":"dog_lora","weight":0.6}])"));
  EXPECT_EQ(m["reference_images"], json::array({Adapter("ipa-flux", "ref1.png", 0.7)}));
  EXPECT_EQ(m["control_layers"], json::array({Adapter("canny_flux", "edges.png", 0.9)}));
  EXPECT_TRUE(m["raster_images"].empty());
}

TEST(InvokeAiMetadataTest, V5RefImagesInEveryChunkForm) {
  for (const char* name :
       {"invokeai/invokeai_v5_ref_images.png", "invokeai/invokeai_v5_after_idat.png",
        "invokeai/invokeai_v5_ztxt.png", "invokeai/invokeai_v5_itxt.png"}) {
    SCOPED_TRACE(name);
    ExpectV5RefImages(Normalised(name));
  }
}

void ExpectV5Canvas(const json& m) {
  EXPECT_EQ(m["version"], 5);
  EXPECT_TRUE(m["version_inferred"]);  // no metadata_version: inferred from app_version 5.0.0
  EXPECT_EQ(m["positive_prompt"], "a bird over the ocean");
  EXPECT_EQ(m["negative_prompt"], "blurry");
  EXPECT_EQ(m["model_name"], "sdxl");
  EXPECT_EQ(m["seed"], 7);
  EXPECT_EQ(m["reference_images"], json::array({Adapter("ipa-sdxl", "ip_ref.png", 0.5)}));
  EXPECT_EQ(m["control_layers"], json::array({Adapter("canny_sdxl", "cl_img.png", 0.6)}));
  EXPECT_EQ(m["raster_images"], json::array({"raster1.png", "raster2.png"}));
}

TEST(InvokeAiMetadataTest, V5CanvasWithoutMetadataVersion) {
  ExpectV5Canvas(Normalised("invokeai/invokeai_v5_canvas.png"));
}

TEST(InvokeAiMetadataTest, PngNamedJpgIsSniffedByContent) {
  ExpectV5Canvas(Normalised("broken/png_named.jpg"));
}

TEST(InvokeAiMetadataTest, VersionInference) {
  bool inferred = false;
  EXPECT_EQ(InferInvokeVersion(json{{"metadata_version", 3}, {"app_version", "5.1"}}, &inferred),
            3);
  EXPECT_FALSE(inferred);
  EXPECT_EQ(InferInvokeVersion(json{{"app_version", "v1.9"}}), 2);
  EXPECT_EQ(InferInvokeVersion(json{{"app_version", "2.3.5"}}), 2);
  EXPECT_EQ(InferInvokeVersion(json{{"app_version", "3.4.0"}}), 3);
  EXPECT_EQ(InferInvokeVersion(json{{"app_version", "3.4.0"}, {"model", "sd15"}}), 2);
  EXPECT_EQ(InferInvokeVersion(json{{"app_version", "4.2.9"}}), 5);
  EXPECT_EQ(InferInvokeVersion(json{{"canvas_v2_metadata", json::object()}}), 5);
  EXPECT_EQ(InferInvokeVersion(json{{"model_weights", "x"}}), 2);
  EXPECT_EQ(InferInvokeVersion(json{{"seed", 1}}, &inferred), 3);
  EXPECT_TRUE(inferred);
}

TEST(InvokeAiMetadataTest, V5RefImageQuirks) {
  // List-of-lists wrapper, config.image.original.image nesting, model-less references (weight
  // suppressed) and Flux Redux's categorical imageInfluence.
  const json raw = json::parse(R"({
    "metadata_version": 5, "positive_prompt": "p", "model": {"name": "flux"},
    "ref_images": [[
      {"id": "a", "isEnabled": true, "config": {"type": "flux_redux", "model": {"name": "redux"},
        "image": {"original": {"image": {"image_name": "nested.png"}}}, "imageInfluence": "High"}},
      {"id": "b", "isEnabled": true, "config": {"type": "ref", "model": null, "weight": 1.0,
        "image": {"image_name": "direct.png"}}},
      {"id": "c", "isEnabled": false, "config": {"image": {"image_name": "off.png"}}}
    ]]})");
  Result<InvokeMetadata> m = ParseInvokeMetadata(raw);
  ASSERT_TRUE(m.ok());
  ASSERT_EQ(m->reference_images.size(), 2u);
  EXPECT_EQ(m->reference_images[0].image_name, "nested.png");
  EXPECT_EQ(m->reference_images[0].weight, "High");
  EXPECT_EQ(m->reference_images[1].model_name, "");
  EXPECT_TRUE(m->reference_images[1].weight.is_null());
}

TEST(InvokeAiMetadataTest, V5LegacyControlnetsBecomeControlLayers) {
  const json raw = json::parse(R"({"metadata_version": 5, "seed": 3, "controlnets": [
      {"control_model": {"model_name": "depth"}, "image": {"image_name": "d.png"},
       "control_weight": 0.4, "control_mode": "balanced", "resize_mode": "just_resize"}]})");
  Result<InvokeMetadata> m = ParseInvokeMetadata(raw);
  ASSERT_TRUE(m.ok());
  ASSERT_EQ(m->control_layers.size(), 1u);
  EXPECT_EQ(m->control_layers[0].model_name, "depth");
  EXPECT_EQ(m->control_layers[0].image_name, "d.png");
  EXPECT_EQ(m->control_layers[0].weight, 0.4);
}

TEST(InvokeAiMetadataTest, ParseErrors) {
  EXPECT_EQ(ParseInvokeMetadata(json::array()).error().kind, ErrorKind::kCorrupt);
  EXPECT_EQ(ParseInvokeMetadata(json{{"foo", 1}}).error().kind, ErrorKind::kCorrupt);
  json deep = json::object();
  for (int i = 0; i < 200; ++i) deep = json{{"image", deep}};
  deep["seed"] = 1;
  EXPECT_EQ(ParseInvokeMetadata(deep).error().kind, ErrorKind::kCorrupt);
}

PngTextChunk Text(const std::string& key, const std::string& text) {
  PngTextChunk c;
  c.keyword = key;
  c.text = text;
  return c;
}

TEST(InvokeAiMetadataTest, FindInvokeJsonFollowsPhotoMapAiPriority) {
  std::vector<std::string> warnings;
  // Bad JSON under the first key falls through to the next key, with a warning.
  auto found = FindInvokeJson(
      {Text("invokeai_metadata", "{not json"), Text("sd-metadata", R"({"a":1})")}, &warnings);
  ASSERT_TRUE(found.has_value());
  EXPECT_EQ(found->key, "sd-metadata");
  ASSERT_EQ(warnings.size(), 1u);
  EXPECT_NE(warnings[0].find("not valid JSON"), std::string::npos);
  // Sd-metadata comes before sd-metadata; the last of one key wins; other keys are ignored.
  warnings.clear();
  found = FindInvokeJson({Text("sd-metadata", R"({"x":1})"), Text("Sd-metadata", R"({"y":1})"),
                          Text("Sd-metadata", R"({"y":2})"), Text("invokeai_graph", R"({"z":1})")},
                         &warnings);
  ASSERT_TRUE(found.has_value());
  EXPECT_EQ(found->key, "Sd-metadata");
  EXPECT_EQ(found->json["y"], 2);
  // Non-object JSON and nothing at all.
  EXPECT_FALSE(FindInvokeJson({Text("invokeai_metadata", "[1,2]")}, &warnings).has_value());
  EXPECT_FALSE(FindInvokeJson({Text("Dream", "x")}, nullptr).has_value());
}

TEST(InvokeAiMetadataTest, DreamCommands) {
  Result<DreamCommand> d =
      ParseDreamCommand("a red-haired fox -s 30 -S 42 -W 640 -H 480 -C 8 -A ddim");
  ASSERT_TRUE(d.ok());
  EXPECT_EQ(d->prompt, "a red-haired fox");
  EXPECT_EQ(d->steps, 30);
  EXPECT_EQ(d->seed, 42);
  EXPECT_EQ(d->width, 640);
  EXPECT_EQ(d->height, 480);
  EXPECT_EQ(d->cfg_scale, 8.0);
  EXPECT_EQ(d->sampler, "ddim");
  d = ParseDreamCommand("\"quoted -s prompt\" -S x12 -s 5");
  ASSERT_TRUE(d.ok());
  EXPECT_EQ(d->prompt, "quoted -s prompt");
  EXPECT_FALSE(d->seed.has_value());  // malformed number leaves the field unset
  EXPECT_EQ(d->steps, 5);
  EXPECT_FALSE(ParseDreamCommand("").ok());
  EXPECT_FALSE(ParseDreamCommand("\"unterminated -s 3").ok());
  EXPECT_FALSE(ParseDreamCommand("-s 3").ok());
}

}  // namespace
}  // namespace photomap::media
