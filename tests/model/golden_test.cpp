// Golden tests: the C++ forward passes against transformers' outputs on the tiny fixtures in
// shared/fixtures/clip (see its README). Every named intermediate is compared so that a failure
// says which stage diverged: max |diff| <= 1e-4 and per-row cosine >= 0.99999.
#include <gtest/gtest.h>

#include <atomic>
#include <cmath>
#include <fstream>
#include <nlohmann/json.hpp>
#include <string>
#include <thread>

#include "model/encoder.h"
#include "model/graph_test_util.h"

namespace photomap::model {
namespace {

using golden::Close;
using golden::LoadNpy;
using golden::Npy;

const std::string kFixtures = std::string(PHOTOMAP_SHARED_DIR) + "/fixtures/clip/";

std::unique_ptr<Encoder> LoadOrDie(const std::string& dir, const std::string& backend) {
  EncoderOptions opt;
  opt.gemm_backend = backend;
  opt.threads = 2;
  auto enc = Encoder::Load(kFixtures + dir, opt);
  EXPECT_TRUE(enc.ok()) << (enc.ok() ? "" : enc.error().message);
  return enc.ok() ? std::move(enc).value() : nullptr;
}

std::vector<float> Normalized(const Tensor& t) {
  std::vector<float> v = t.data;
  L2NormalizeRows(v.data(), static_cast<int>(t.dim(0)), static_cast<int>(t.dim(-1)));
  return v;
}

// logits[i][j] = exp(scale) * <img_i, txt_j> (+ bias)
std::vector<float> Logits(const std::vector<float>& img, const std::vector<float>& txt, int n_img,
                          int n_txt, int dim, float scale, float bias) {
  std::vector<float> out(static_cast<size_t>(n_img) * n_txt);
  for (int i = 0; i < n_img; ++i) {
    for (int j = 0; j < n_txt; ++j) {
      double dot = 0;
      for (int k = 0; k < dim; ++k) {
        dot += static_cast<double>(img[i * dim + k]) * txt[j * dim + k];
      }
      out[i * n_txt + j] = static_cast<float>(std::exp(static_cast<double>(scale)) * dot + bias);
    }
  }
  return out;
}

struct ClipCase {
  std::string dir;
  std::string backend;
};

class ClipGoldenTest : public ::testing::TestWithParam<ClipCase> {};

TEST_P(ClipGoldenTest, MatchesTransformersLayerByLayer) {
  const std::string dir = GetParam().dir;
  auto enc = LoadOrDie(dir, GetParam().backend);
  ASSERT_NE(enc, nullptr);
  const std::string base = kFixtures + dir + "/";
  EXPECT_EQ(enc->config().family, ModelFamily::kClip);

  Npy pixels = LoadNpy(base + "pixel_values.npy");
  ASSERT_TRUE(pixels.error.empty()) << pixels.error;
  const int n_img = static_cast<int>(pixels.shape[0]);
  VisionOutputs vis;
  ASSERT_TRUE(enc->RunVision(pixels.f32, n_img, &vis).ok());
  EXPECT_TRUE(Close("vision_last_hidden_state", vis.last_hidden_state.data,
                    vis.last_hidden_state.shape, LoadNpy(base + "vision_last_hidden_state.npy")));
  EXPECT_TRUE(Close("vision_pooled", vis.pooled.data, vis.pooled.shape,
                    LoadNpy(base + "vision_pooled.npy")));
  EXPECT_TRUE(Close("image_embeds_unnormalized", vis.embeds.data, vis.embeds.shape,
                    LoadNpy(base + "image_embeds_unnormalized.npy")));
  std::vector<float> img = Normalized(vis.embeds);
  EXPECT_TRUE(Close("image_embeds", img, vis.embeds.shape, LoadNpy(base + "image_embeds.npy")));

  Npy ids = LoadNpy(base + "input_ids.npy");
  Npy mask = LoadNpy(base + "attention_mask.npy");
  ASSERT_TRUE(ids.error.empty() && mask.error.empty());
  const int n_txt = static_cast<int>(ids.shape[0]);
  const int len = static_cast<int>(ids.shape[1]);
  auto ids32 = golden::ToInt32(ids.i64);
  auto mask32 = golden::ToInt32(mask.i64);
  TextOutputs txt;
  ASSERT_TRUE(enc->RunText(ids32, n_txt, len, mask32, &txt).ok());
  EXPECT_TRUE(Close("text_last_hidden_state", txt.last_hidden_state.data,
                    txt.last_hidden_state.shape, LoadNpy(base + "text_last_hidden_state.npy")));
  EXPECT_TRUE(
      Close("text_pooled", txt.pooled.data, txt.pooled.shape, LoadNpy(base + "text_pooled.npy")));
  EXPECT_TRUE(Close("text_embeds_unnormalized", txt.embeds.data, txt.embeds.shape,
                    LoadNpy(base + "text_embeds_unnormalized.npy")));
  std::vector<float> tn = Normalized(txt.embeds);
  EXPECT_TRUE(Close("text_embeds", tn, txt.embeds.shape, LoadNpy(base + "text_embeds.npy")));

  const int e = enc->embedding_dim();
  EXPECT_TRUE(Close("logits_per_image", Logits(img, tn, n_img, n_txt, e, enc->logit_scale(), 0),
                    {n_img, n_txt}, LoadNpy(base + "logits_per_image.npy"), 1e-3));
  EXPECT_FALSE(enc->logit_bias().has_value());

  // The facade gives the same normalised rows.
  auto ie = enc->EncodeImages(pixels.f32, n_img);
  ASSERT_TRUE(ie.ok());
  EXPECT_TRUE(
      Close("EncodeImages", ie->data, {ie->rows, ie->dim}, LoadNpy(base + "image_embeds.npy")));
  auto te = enc->EncodeTexts(ids32, n_txt, len, mask32);
  ASSERT_TRUE(te.ok());
  EXPECT_TRUE(
      Close("EncodeTexts", te->data, {te->rows, te->dim}, LoadNpy(base + "text_embeds.npy")));
  // Without the padding mask the causal mask alone decides what the eos token sees, so the
  // embedding is unchanged (OpenAI CLIP never passes a mask).
  auto te_nomask = enc->EncodeTexts(ids32, n_txt, len);
  ASSERT_TRUE(te_nomask.ok());
  EXPECT_TRUE(Close("EncodeTexts without mask", te_nomask->data, {te->rows, te->dim},
                    LoadNpy(base + "text_embeds.npy")));
}

INSTANTIATE_TEST_SUITE_P(Fixtures, ClipGoldenTest,
                         ::testing::Values(ClipCase{"clip_quickgelu", "openblas"},
                                           ClipCase{"clip_gelu", "openblas"},
                                           ClipCase{"clip_quickgelu", "reference"},
                                           ClipCase{"clip_gelu", "reference"}),
                         [](const ::testing::TestParamInfo<ClipCase>& info) {
                           return info.param.dir + "_" + info.param.backend;
                         });

class SiglipGoldenTest : public ::testing::TestWithParam<std::string> {};

TEST_P(SiglipGoldenTest, MatchesTransformersLayerByLayer) {
  auto enc = LoadOrDie("siglip", GetParam());
  ASSERT_NE(enc, nullptr);
  const std::string base = kFixtures + "siglip/";
  EXPECT_EQ(enc->config().family, ModelFamily::kSiglip);
  EXPECT_EQ(enc->config().vision.act, Activation::kGeluTanh);

  Npy pixels = LoadNpy(base + "pixel_values.npy");
  ASSERT_TRUE(pixels.error.empty()) << pixels.error;
  const int n_img = static_cast<int>(pixels.shape[0]);
  VisionOutputs vis;
  ASSERT_TRUE(enc->RunVision(pixels.f32, n_img, &vis).ok());
  EXPECT_TRUE(Close("vision_last_hidden_state (post-LN)", vis.last_hidden_state.data,
                    vis.last_hidden_state.shape, LoadNpy(base + "vision_last_hidden_state.npy")));
  EXPECT_TRUE(Close("vision_pooled (MAP head)", vis.pooled.data, vis.pooled.shape,
                    LoadNpy(base + "vision_pooled.npy")));
  std::vector<float> img = Normalized(vis.embeds);
  EXPECT_TRUE(Close("image_embeds", img, vis.embeds.shape, LoadNpy(base + "image_embeds.npy")));

  Npy ids = LoadNpy(base + "input_ids.npy");
  ASSERT_TRUE(ids.error.empty());
  const int n_txt = static_cast<int>(ids.shape[0]);
  const int len = static_cast<int>(ids.shape[1]);
  auto ids32 = golden::ToInt32(ids.i64);
  TextOutputs txt;
  ASSERT_TRUE(enc->RunText(ids32, n_txt, len, {}, &txt).ok());
  EXPECT_TRUE(Close("text_last_hidden_state", txt.last_hidden_state.data,
                    txt.last_hidden_state.shape, LoadNpy(base + "text_last_hidden_state.npy")));
  EXPECT_TRUE(Close("text_pooled (head)", txt.pooled.data, txt.pooled.shape,
                    LoadNpy(base + "text_pooled.npy")));
  std::vector<float> tn = Normalized(txt.embeds);
  EXPECT_TRUE(Close("text_embeds", tn, txt.embeds.shape, LoadNpy(base + "text_embeds.npy")));

  Npy sb = LoadNpy(base + "logit_scale_bias.npy");
  ASSERT_TRUE(sb.error.empty());
  EXPECT_FLOAT_EQ(enc->logit_scale(), sb.f32[0]);
  ASSERT_TRUE(enc->logit_bias().has_value());
  EXPECT_FLOAT_EQ(*enc->logit_bias(), sb.f32[1]);
  EXPECT_TRUE(Close(
      "logits_per_image",
      Logits(img, tn, n_img, n_txt, enc->embedding_dim(), enc->logit_scale(), *enc->logit_bias()),
      {n_img, n_txt}, LoadNpy(base + "logits_per_image.npy"), 1e-3));

  auto ie = enc->EncodeImages(pixels.f32, n_img);
  ASSERT_TRUE(ie.ok());
  EXPECT_TRUE(
      Close("EncodeImages", ie->data, {ie->rows, ie->dim}, LoadNpy(base + "image_embeds.npy")));
  auto te = enc->EncodeTexts(ids32, n_txt, len);
  ASSERT_TRUE(te.ok());
  EXPECT_TRUE(
      Close("EncodeTexts", te->data, {te->rows, te->dim}, LoadNpy(base + "text_embeds.npy")));
}

INSTANTIATE_TEST_SUITE_P(Fixtures, SiglipGoldenTest, ::testing::Values("openblas", "reference"));

// Batching must not change results: each image alone, and chunked through a small max_batch.
TEST(GoldenBatching, ChunkedAndSingleImagesMatchTheBatch) {
  EncoderOptions opt;
  opt.max_batch = 2;
  auto enc = Encoder::Load(kFixtures + "clip_quickgelu", opt);
  ASSERT_TRUE(enc.ok());
  Npy pixels = LoadNpy(kFixtures + "clip_quickgelu/pixel_values.npy");
  Npy want = LoadNpy(kFixtures + "clip_quickgelu/image_embeds.npy");
  auto all = (*enc)->EncodeImages(pixels.f32, 3);
  ASSERT_TRUE(all.ok());
  EXPECT_TRUE(Close("chunked", all->data, {3, all->dim}, want));
  const size_t per = pixels.f32.size() / 3;
  for (int i = 0; i < 3; ++i) {
    auto one = (*enc)->EncodeImages(std::span<const float>(pixels.f32.data() + i * per, per), 1);
    ASSERT_TRUE(one.ok());
    Npy row;
    row.shape = {1, want.shape[1]};
    row.f32.assign(want.f32.begin() + i * want.shape[1],
                   want.f32.begin() + (i + 1) * want.shape[1]);
    EXPECT_TRUE(Close("image " + std::to_string(i), one->data, {1, one->dim}, row));
  }
  auto none = (*enc)->EncodeImages({}, 0);
  ASSERT_TRUE(none.ok());
  EXPECT_EQ(none->rows, 0);
}

// One encoder shared by threads (the indexer and search handlers do this): same results.
TEST(GoldenBatching, ConcurrentCallersGetTheSameEmbeddings) {
  auto enc = Encoder::Load(kFixtures + "siglip");
  ASSERT_TRUE(enc.ok());
  Npy pixels = LoadNpy(kFixtures + "siglip/pixel_values.npy");
  Npy ids = LoadNpy(kFixtures + "siglip/input_ids.npy");
  auto ids32 = golden::ToInt32(ids.i64);
  const int n = static_cast<int>(pixels.shape[0]);
  const int m = static_cast<int>(ids.shape[0]);
  auto img0 = (*enc)->EncodeImages(pixels.f32, n);
  auto txt0 = (*enc)->EncodeTexts(ids32, m, static_cast<int>(ids.shape[1]));
  ASSERT_TRUE(img0.ok() && txt0.ok());
  std::vector<std::thread> threads;
  std::atomic<int> mismatches{0};
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 5; ++i) {
        if (t % 2 == 0) {
          auto e = (*enc)->EncodeImages(pixels.f32, n);
          if (!e.ok() || e->data != img0->data) ++mismatches;
        } else {
          auto e = (*enc)->EncodeTexts(ids32, m, static_cast<int>(ids.shape[1]));
          if (!e.ok() || e->data != txt0->data) ++mismatches;
        }
      }
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_EQ(mismatches.load(), 0);
}

TEST(GoldenInputs, BadInputsAreInvalidInput) {
  auto enc = Encoder::Load(kFixtures + "clip_quickgelu");
  ASSERT_TRUE(enc.ok());
  std::vector<float> short_pixels(10);
  auto r = (*enc)->EncodeImages(short_pixels, 1);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().kind, ErrorKind::kInvalidInput);
  std::vector<int32_t> ids = {118, 5, 500, 119};  // 500 is outside the 120-token vocabulary
  auto t = (*enc)->EncodeTexts(ids, 1, 4);
  ASSERT_FALSE(t.ok());
  EXPECT_EQ(t.error().kind, ErrorKind::kInvalidInput);
  EXPECT_NE(t.error().message.find("500"), std::string::npos);
  std::vector<int32_t> too_long(17, 1);  // 16 positions
  auto l = (*enc)->EncodeTexts(too_long, 1, 17);
  ASSERT_FALSE(l.ok());
  EXPECT_EQ(l.error().kind, ErrorKind::kInvalidInput);
}

// e2e_clip through the encoder from the processor's pixel_values and the tokenizer fixture's
// context_77 ids (the file -> preprocess -> tokenizer chain is in e2e_test.cpp).
TEST(GoldenE2e, PixelValuesAndContextIdsGiveExpectedEmbeddings) {
  auto enc = Encoder::Load(kFixtures + "e2e_clip");
  ASSERT_TRUE(enc.ok()) << enc.error().message;
  std::ifstream in(kFixtures + "e2e_clip/expected_embeddings.json");
  auto expected = nlohmann::json::parse(in);
  std::ifstream tin(kFixtures + "tokenizer/expected.json");
  auto tok = nlohmann::json::parse(tin);

  Npy pixels = LoadNpy(kFixtures + "e2e_clip/pixel_values.npy");
  ASSERT_TRUE(pixels.error.empty());
  auto img = (*enc)->EncodeImages(pixels.f32, 1);
  ASSERT_TRUE(img.ok());
  auto want_img = expected["image"]["embedding"].get<std::vector<float>>();
  ASSERT_EQ(want_img.size(), static_cast<size_t>(img->dim));
  EXPECT_GE(golden::Cosine(img->data.data(), want_img.data(), want_img.size()), 0.99999);

  std::vector<int32_t> ids;
  int n = 0;
  for (const auto& c : tok["cases"]) {
    auto row = c["context_77"].get<std::vector<int32_t>>();
    ASSERT_EQ(row.size(), 77u);
    ids.insert(ids.end(), row.begin(), row.end());
    ++n;
  }
  auto txt = (*enc)->EncodeTexts(ids, n, 77);
  ASSERT_TRUE(txt.ok()) << txt.error().message;
  ASSERT_EQ(expected["texts"].size(), static_cast<size_t>(n));
  for (int i = 0; i < n; ++i) {
    const auto& want = expected["texts"][i];
    ASSERT_EQ(want["text"], tok["cases"][i]["text"]);
    auto w = want["embedding"].get<std::vector<float>>();
    double cos = golden::Cosine(txt->row(i).data(), w.data(), w.size());
    EXPECT_GE(cos, 0.99999) << "text case " << i << ": " << want["text"];
    double max_diff = 0;
    for (size_t k = 0; k < w.size(); ++k) {
      max_diff = std::max(max_diff, std::fabs(static_cast<double>(txt->row(i)[k]) - w[k]));
    }
    EXPECT_LE(max_diff, 1e-4) << "text case " << i;
  }
}

}  // namespace
}  // namespace photomap::model
