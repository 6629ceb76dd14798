// Preprocessing vs transformers' CLIPImageProcessor on the shared fixtures (PIL bicubic).
// Metric: max |Δ| per element, in units of 1/255 before normalisation (i.e. value * std).
#include "model/preprocess.h"

#include <gtest/gtest.h>
#include <vips/vips8>

#include <cmath>
#include <cstdio>
#include <fstream>
#include <sstream>

#include "model/npy_file.h"
#include "model/resample_bicubic.h"

namespace photomap::model {
namespace {

const std::string kClip = std::string(PHOTOMAP_SHARED_DIR) + "/fixtures/clip";

RgbImage LoadPng(const std::string& path) {
  static const bool init = VIPS_INIT("preprocess_test") == 0;
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

// Max difference between our tensor and the reference, in 1/255 units before normalisation.
double MaxErrorIn255(const std::vector<float>& ours, const std::vector<float>& ref,
                     const PreprocessConfig& c) {
  const size_t plane = ref.size() / 3;
  double worst = 0;
  for (size_t i = 0; i < ref.size(); ++i) {
    double d = std::fabs(ours[i] - ref[i]) * c.std[i / plane] * 255.0;
    worst = std::max(worst, d);
  }
  return worst;
}

void CheckFixture(const std::string& processor_json, const std::string& npy, double tol_255) {
  std::ifstream in(processor_json);
  std::stringstream ss;
  ss << in.rdbuf();
  auto cfg = ParsePreprocessorConfig(ss.str());
  ASSERT_TRUE(cfg.ok()) << cfg.error().message;
  RgbImage img = LoadPng(kClip + "/preprocess/input.png");
  ASSERT_EQ(img.width, 240);
  ASSERT_EQ(img.height, 180);
  auto ours = Preprocess(img, *cfg);
  ASSERT_TRUE(ours.ok()) << ours.error().message;
  auto ref = testing::ReadNpy(npy);
  ASSERT_TRUE(ref.error.empty()) << ref.error;
  ASSERT_EQ(ref.f32.size(), ours->size());
  double err = MaxErrorIn255(*ours, ref.f32, *cfg);
  std::printf("%s: max error %.4f/255\n", npy.c_str(), err);
  EXPECT_LE(err, tol_255) << npy;
}

// Measured: 224 px max error 1.0000/255, 32 px 1.0000/255 (the fixture was made with
// transformers 5's torchvision path; PIL-exact resampling differs from it by at most 1/255).
TEST(PreprocessTest, OpenAi224MatchesClipImageProcessor) {
  CheckFixture(kClip + "/preprocess/processor_openai_224.json",
               kClip + "/preprocess/pixel_values_openai_224.npy", 2.0);
}

TEST(PreprocessTest, Small32MatchesClipImageProcessor) {
  CheckFixture(kClip + "/preprocess/processor_small_32.json",
               kClip + "/preprocess/pixel_values_small_32.npy", 2.0);
}

TEST(PreprocessTest, E2eModelDirectoryMatchesPixelValues) {
  auto cfg = LoadPreprocessConfig(kClip + "/e2e_clip");
  ASSERT_TRUE(cfg.ok()) << cfg.error().message;
  EXPECT_EQ(cfg->output_width(), 32);
  RgbImage img = LoadPng(kClip + "/e2e_clip/input.png");
  auto ours = Preprocess(img, *cfg);
  ASSERT_TRUE(ours.ok());
  auto ref = testing::ReadNpy(kClip + "/e2e_clip/pixel_values.npy");
  ASSERT_TRUE(ref.error.empty()) << ref.error;
  ASSERT_EQ(ref.f32.size(), ours->size());
  double err = MaxErrorIn255(*ours, ref.f32, *cfg);
  std::printf("e2e_clip: max error %.4f/255\n", err);
  EXPECT_LE(err, 2.0);
}

// Geometry: short side -> N, long side int(N * long / short) truncated (240x180 -> 42x32).
TEST(PreprocessTest, ShortestEdgeGeometryTruncates) {
  PreprocessConfig c;
  c.shortest_edge = 32;
  c.do_center_crop = false;
  RgbImage img{240, 180, std::vector<uint8_t>(240 * 180 * 3, 128)};
  auto r = ResizeAndCrop(img, c);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->width, 42);
  EXPECT_EQ(r->height, 32);
  RgbImage tall{180, 240, std::vector<uint8_t>(180 * 240 * 3, 128)};
  r = ResizeAndCrop(tall, c);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->width, 32);
  EXPECT_EQ(r->height, 42);
  // A flat image stays flat through the resampler (weights sum to one).
  for (uint8_t v : r->pixels) ASSERT_EQ(v, 128);
}

// torchvision rounds an odd crop margin half-to-even; the slow HF processor floors it.
TEST(PreprocessTest, CropRoundingRules) {
  RgbImage img{7, 1, {}};
  for (int x = 0; x < 7; ++x) img.pixels.insert(img.pixels.end(), {uint8_t(x), 0, 0});
  PreprocessConfig c;
  c.do_resize = false;
  c.crop_height = 1;
  c.crop_width = 4;  // margin 3: torchvision round(1.5) = 2, floor = 1
  auto tv = ResizeAndCrop(img, c);
  c.crop_rounding = PreprocessConfig::CropRounding::kFloor;
  auto fl = ResizeAndCrop(img, c);
  ASSERT_TRUE(tv.ok() && fl.ok());
  EXPECT_EQ(tv->pixels[0], 2);
  EXPECT_EQ(fl->pixels[0], 1);
}

// A window of the resize equals the same window cut from the full resize, bit for bit.
TEST(PreprocessTest, RegionResizeEqualsCropOfFullResize) {
  RgbImage img{37, 23, std::vector<uint8_t>(37 * 23 * 3)};
  for (size_t i = 0; i < img.pixels.size(); ++i)
    img.pixels[i] = static_cast<uint8_t>(i * 131 % 251);
  for (ResampleFilter f : {ResampleFilter::kBicubic, ResampleFilter::kBilinear}) {
    for (auto [w, h] : {std::pair{16, 10}, {50, 30}, {37, 11}, {12, 23}}) {
      RgbImage full = ResamplePil(img, w, h, f);
      const int x0 = w / 4, y0 = h / 3, rw = w / 2, rh = h / 2;
      RgbImage region = ResamplePilRegion(img, w, h, f, x0, y0, rw, rh);
      ASSERT_EQ(region.width, rw);
      ASSERT_EQ(region.height, rh);
      for (int y = 0; y < rh; ++y) {
        for (int x = 0; x < rw * 3; ++x) {
          ASSERT_EQ(region.row(y)[x], full.row(y0 + y)[x0 * 3 + x]) << w << "x" << h;
        }
      }
    }
  }
}

// An extreme panorama (short side 1 px) only costs the crop, not a 224,000-px-wide resize.
TEST(PreprocessTest, ExtremeAspectRatioIsBounded) {
  RgbImage img{1000, 1, std::vector<uint8_t>(1000 * 3, 200)};
  auto out = Preprocess(img, PreprocessConfig{});
  ASSERT_TRUE(out.ok()) << out.error().message;
  EXPECT_EQ(out->size(), 3u * 224 * 224);
}

// Robustness sweep: many small sizes and both modes; sizes are right and nothing crashes.
TEST(PreprocessTest, SizeSweep) {
  PreprocessConfig clip;
  clip.shortest_edge = clip.crop_width = clip.crop_height = 8;
  PreprocessConfig exact = clip;
  exact.resize_mode = PreprocessConfig::ResizeMode::kExact;
  exact.do_center_crop = false;
  exact.resize_width = 9;
  exact.resize_height = 7;
  for (int w = 1; w <= 20; w += 3) {
    for (int h = 1; h <= 20; h += 2) {
      RgbImage img{w, h, std::vector<uint8_t>(static_cast<size_t>(w) * h * 3, 77)};
      for (const PreprocessConfig* c : {&clip, &exact}) {
        auto r = ResizeAndCrop(img, *c);
        ASSERT_TRUE(r.ok()) << w << "x" << h;
        ASSERT_EQ(r->width, c->output_width());
        ASSERT_EQ(r->height, c->output_height());
        for (uint8_t v : r->pixels) ASSERT_EQ(v, 77) << w << "x" << h;  // flat stays flat
      }
    }
  }
}

TEST(PreprocessTest, SiglipExactResize) {
  auto cfg = ParsePreprocessorConfig(R"({"image_processor_type":"SiglipImageProcessor",
      "do_resize":true,"size":{"height":16,"width":16},"resample":3,"do_rescale":true,
      "rescale_factor":0.00392156862745098,"do_normalize":true,
      "image_mean":[0.5,0.5,0.5],"image_std":[0.5,0.5,0.5]})");
  ASSERT_TRUE(cfg.ok()) << cfg.error().message;
  EXPECT_FALSE(cfg->do_center_crop);
  RgbImage img{40, 20, std::vector<uint8_t>(40 * 20 * 3, 255)};
  auto out = Preprocess(img, *cfg);
  ASSERT_TRUE(out.ok());
  ASSERT_EQ(out->size(), 3u * 16 * 16);
  for (float v : *out) ASSERT_NEAR(v, 1.0f, 1e-6);
}

TEST(PreprocessTest, BadConfigsAreErrors) {
  EXPECT_EQ(ParsePreprocessorConfig("{").error().kind, ErrorKind::kCorrupt);
  EXPECT_EQ(ParsePreprocessorConfig(R"({"size":{"shortest_edge":0}})").error().kind,
            ErrorKind::kInvalidInput);
  EXPECT_EQ(ParsePreprocessorConfig(R"({"resample":1})").error().kind, ErrorKind::kUnsupported);
  EXPECT_EQ(ParsePreprocessorConfig(R"({"image_mean":[1,2]})").error().kind,
            ErrorKind::kInvalidInput);
  EXPECT_EQ(LoadPreprocessConfig("/nonexistent").error().kind, ErrorKind::kNotFound);
  RgbImage bad{4, 4, std::vector<uint8_t>(5)};
  EXPECT_EQ(ResizeAndCrop(bad, PreprocessConfig{}).error().kind, ErrorKind::kInvalidInput);
}

TEST(PreprocessTest, OpenClipConfig) {
  auto cfg = ParseOpenClipPreprocess(R"({"model_cfg":{"vision_cfg":{"image_size":336}},
      "preprocess_cfg":{"mean":[0.1,0.2,0.3],"std":[0.4,0.5,0.6]}})");
  ASSERT_TRUE(cfg.ok()) << cfg.error().message;
  EXPECT_EQ(cfg->shortest_edge, 336);
  EXPECT_EQ(cfg->output_width(), 336);
  EXPECT_FLOAT_EQ(cfg->std[2], 0.6f);
}

}  // namespace
}  // namespace photomap::model
