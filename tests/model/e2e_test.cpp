// End to end on shared/fixtures/clip/e2e_clip, a directory laid out like a Hugging Face download:
// input.png -> decode (libvips) -> Preprocess (preprocessor_config.json) -> Encoder, and each
// tokenizer case -> LoadTokenizer (vocab.json + merges.txt) -> Encoder, against
// expected_embeddings.json (transformers CLIPModel). Metric: cosine >= 0.99999 per embedding.
#include <gtest/gtest.h>
#include <vips/vips8>

#include <cmath>
#include <fstream>
#include <nlohmann/json.hpp>

#include "model/encoder.h"
#include "model/graph_test_util.h"
#include "model/preprocess.h"
#include "model/tokenizer.h"

namespace photomap::model {
namespace {

const std::string kDir = std::string(PHOTOMAP_SHARED_DIR) + "/fixtures/clip/e2e_clip";

RgbImage DecodePng(const std::string& path) {
  static const bool init = VIPS_INIT("model_e2e_test") == 0;
  EXPECT_TRUE(init);
  vips::VImage img = vips::VImage::new_from_file(path.c_str());
  RgbImage out;
  out.width = img.width();
  out.height = img.height();
  EXPECT_EQ(img.bands(), 3);
  size_t size = 0;
  void* mem = img.write_to_memory(&size);
  out.pixels.assign(static_cast<uint8_t*>(mem), static_cast<uint8_t*>(mem) + size);
  g_free(mem);
  return out;
}

nlohmann::json Expected() {
  std::ifstream in(kDir + "/expected_embeddings.json");
  return nlohmann::json::parse(in);
}

TEST(E2eClipTest, ImageFileToEmbedding) {
  auto enc = Encoder::Load(kDir);
  ASSERT_TRUE(enc.ok()) << enc.error().message;
  auto cfg = LoadPreprocessConfig(kDir);
  ASSERT_TRUE(cfg.ok()) << cfg.error().message;
  ASSERT_EQ(cfg->output_width(), (*enc)->image_size());
  ASSERT_EQ(cfg->output_height(), (*enc)->image_size());
  auto pixels = Preprocess(DecodePng(kDir + "/input.png"), *cfg);
  ASSERT_TRUE(pixels.ok()) << pixels.error().message;

  // The processor's own tensor, to tell a preprocessing error from a forward-pass error.
  auto ref = golden::LoadNpy(kDir + "/pixel_values.npy");
  ASSERT_TRUE(ref.error.empty()) << ref.error;
  ASSERT_EQ(pixels->size(), ref.f32.size());
  auto from_ref = (*enc)->EncodeImages(ref.f32, 1);
  auto ours = (*enc)->EncodeImages(*pixels, 1);
  ASSERT_TRUE(from_ref.ok() && ours.ok());

  auto want = Expected()["image"]["embedding"].get<std::vector<float>>();
  ASSERT_EQ(want.size(), static_cast<size_t>(ours->dim));
  double cos_ref = golden::Cosine(from_ref->data.data(), want.data(), want.size());
  double cos = golden::Cosine(ours->data.data(), want.data(), want.size());
  EXPECT_GE(cos_ref, 0.99999) << "forward pass from the processor's pixel_values";
  EXPECT_GE(cos, 0.99999) << "input.png -> preprocess -> encoder";
  RecordProperty("cosine_from_png", std::to_string(cos));
}

TEST(E2eClipTest, TextsToEmbeddings) {
  auto enc = Encoder::Load(kDir);
  ASSERT_TRUE(enc.ok()) << enc.error().message;
  auto tok = LoadTokenizer(kDir);
  ASSERT_TRUE(tok.ok()) << tok.error().message;
  auto expected = Expected();
  std::vector<std::string> texts;
  for (const auto& t : expected["texts"]) texts.push_back(t["text"].get<std::string>());
  ASSERT_FALSE(texts.empty());
  auto batch = (*tok)->EncodeBatch(texts);
  ASSERT_TRUE(batch.ok()) << batch.error().message;
  ASSERT_EQ(batch->batch, static_cast<int>(texts.size()));
  ASSERT_LE(batch->length, (*enc)->text_max_length());
  auto emb = (*enc)->EncodeTexts(batch->ids, batch->batch, batch->length);
  ASSERT_TRUE(emb.ok()) << emb.error().message;
  for (int i = 0; i < emb->rows; ++i) {
    auto want = expected["texts"][i]["embedding"].get<std::vector<float>>();
    ASSERT_EQ(want.size(), static_cast<size_t>(emb->dim));
    double cos = golden::Cosine(emb->row(i).data(), want.data(), want.size());
    double max_diff = 0;
    for (size_t k = 0; k < want.size(); ++k) {
      max_diff = std::max(max_diff, std::fabs(double(emb->row(i)[k]) - want[k]));
    }
    EXPECT_GE(cos, 0.99999) << "text " << i << " '" << texts[i] << "'";
    EXPECT_LE(max_diff, 1e-4) << "text " << i << " '" << texts[i] << "'";
  }
  // With the tokenizer's attention mask the embeddings are the same (causal + eos pooling).
  auto masked = (*enc)->EncodeTexts(batch->ids, batch->batch, batch->length, batch->attention_mask);
  ASSERT_TRUE(masked.ok());
  for (size_t k = 0; k < emb->data.size(); ++k) ASSERT_NEAR(masked->data[k], emb->data[k], 1e-5);
}

}  // namespace
}  // namespace photomap::model
