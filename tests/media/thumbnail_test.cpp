#include "media/thumbnail_renderer.h"

#include <gtest/gtest.h>

#include <cstdio>

#include "media/decoder.h"
#include "media/image_loader.h"
#include "media/path_digest.h"
#include "media/pixel_testing.h"
#include "media/thumbnail_params.h"
#include "media/vips_handle.h"

namespace photomap::media {
namespace {

using testing::DecodePng;
using testing::Photo;

TEST(ThumbnailParamsTest, ValidationMessagesOfTheSpec) {
  for (long long size : {0LL, -1LL, 2049LL, 1LL << 40}) {
    Result<ThumbnailParams> p = ParseThumbnailParams(size, std::nullopt, std::nullopt);
    ASSERT_FALSE(p.ok()) << size;
    EXPECT_EQ(p.error().kind, ErrorKind::kInvalidInput);
    EXPECT_EQ(p.error().message, "Invalid thumbnail size");
  }
  for (long long radius : {-1LL, 513LL}) {
    EXPECT_EQ(ParseThumbnailParams(std::nullopt, radius, std::nullopt).error().message,
              "Invalid thumbnail radius");
  }
  for (const char* color : {"#12345", "#1234567", "zzzzzz", "#gg0000", "256,0,0", "1,2", "1,2,3,4",
                            "1234,1,1", " 1,2,3", "1,,3", "#", "red", "1.0,2,3"}) {
    EXPECT_EQ(ParseThumbnailParams(std::nullopt, std::nullopt, color).error().message,
              "Invalid color parameter")
        << color;
  }
  Result<ThumbnailParams> ok = ParseThumbnailParams(1, 0, "#A0b1C2");
  ASSERT_TRUE(ok.ok());
  EXPECT_EQ(ok->size, 1);
  EXPECT_EQ(ok->radius, 0);
  EXPECT_EQ(ColorHex(*ok->color), "a0b1c2");
  EXPECT_EQ(*ParseThumbnailParams(2048, 512, "a0b1c2")->color, *ok->color);  // no '#': same colour
  EXPECT_EQ(ColorHex(*ParseThumbnailParams({}, {}, "255,0,9")->color), "ff0009");
  Result<ThumbnailParams> defaults = ParseThumbnailParams({}, {}, "");
  ASSERT_TRUE(defaults.ok());
  EXPECT_EQ(defaults->size, 256);
  EXPECT_EQ(defaults->radius, 12);
  EXPECT_FALSE(defaults->color.has_value());
  EXPECT_EQ(ThumbnailBorderWidth(64), 5);
  EXPECT_EQ(ThumbnailBorderWidth(256), 8);
}

TEST(ThumbnailTest, PilThumbnailSizeRule) {
  EXPECT_EQ(PilThumbnailSize(640, 400, 256), (std::pair<int64_t, int64_t>{256, 160}));
  EXPECT_EQ(PilThumbnailSize(400, 640, 256), (std::pair<int64_t, int64_t>{160, 256}));
  EXPECT_EQ(PilThumbnailSize(451, 300, 128), (std::pair<int64_t, int64_t>{128, 85}));
  EXPECT_EQ(PilThumbnailSize(4032, 3024, 256), (std::pair<int64_t, int64_t>{256, 192}));
  EXPECT_EQ(PilThumbnailSize(640, 400, 1000), (std::pair<int64_t, int64_t>{640, 400}));
  EXPECT_EQ(PilThumbnailSize(10000, 10, 100), (std::pair<int64_t, int64_t>{100, 1}));
  EXPECT_EQ(PilThumbnailSize(640, 400, 1), (std::pair<int64_t, int64_t>{1, 1}));
}

TEST(ThumbnailTest, SizeSweepKeepsAspectAndRoundsCorners) {
  for (int size : {1, 2, 7, 31, 64, 128, 256, 400, 640, 1000, 2048}) {
    ThumbnailParams p;
    p.size = size;
    Result<std::string> png = RenderThumbnailPng(Photo("formats/photo.png"), p);
    ASSERT_TRUE(png.ok()) << size << ": " << png.error().message;
    testing::DecodedPng img = DecodePng(*png);
    auto [w, h] = PilThumbnailSize(640, 400, size);
    EXPECT_EQ(img.width, w) << size;
    EXPECT_EQ(img.height, h) << size;
    ASSERT_EQ(img.bands, 4) << size;
    if (w >= 24) {
      EXPECT_EQ(img.at(0, 0)[3], 0) << size;  // corner cut away
      EXPECT_EQ(img.at(w - 1, h - 1)[3], 0) << size;
      EXPECT_EQ(img.at(w / 2, h / 2)[3], 255) << size;  // opaque inside
      EXPECT_EQ(img.at(w / 2, 0)[3], 255) << size;      // straight edges untouched
    }
  }
}

TEST(ThumbnailTest, ContentMatchesTheSourceAndOrientation) {
  ThumbnailParams p;
  p.size = 128;
  p.radius = 0;
  testing::DecodedPng a = DecodePng(*RenderThumbnailPng(Photo("exif/orientation_1.jpg"), p));
  for (int o : {3, 6, 7}) {
    testing::DecodedPng b =
        DecodePng(*RenderThumbnailPng(Photo("exif/orientation_" + std::to_string(o) + ".jpg"), p));
    ASSERT_EQ(b.width, 128);
    ASSERT_EQ(b.height, 80);
    double diff = 0;
    for (size_t i = 0; i < a.px.size(); ++i) diff += std::abs(a.px[i] - b.px[i]);
    EXPECT_LT(diff / a.px.size(), 4) << o;
    EXPECT_EQ(b.at(0, 0)[3], 255);  // radius 0: square corners
  }
  // 12 MP JPEG through DCT shrink-on-load: right size, same picture as the 640 px version.
  testing::DecodedPng big =
      DecodePng(*RenderThumbnailPng(Photo("formats/photo_12mp_4032x3024.jpg"), p));
  EXPECT_EQ(big.width, 128);
  EXPECT_EQ(big.height, 96);
}

// A large WebP is decoded by libwebp at reduced scale: the thumbnail has the same size and picture
// as one rendered from a lossless PNG of the same pixels.
TEST(ThumbnailTest, WebpThroughScaledDecodeMatchesThePng) {
  Result<RgbImage> full = DecodeImage(Photo("real/forest_path_2560x1600.jpg"));
  ASSERT_TRUE(full.ok());
  VipsImagePtr v(vips_image_new_from_memory(full->pixels.data(), full->pixels.size(), full->width,
                                            full->height, 3, VIPS_FORMAT_UCHAR));
  const std::string dir = ::testing::TempDir();
  const std::string png = dir + "/thumb_src.png", webp = dir + "/thumb_src.webp";
  ASSERT_EQ(vips_pngsave(v.get(), png.c_str(), "compression", 1, nullptr), 0);
  ASSERT_EQ(vips_webpsave(v.get(), webp.c_str(), "Q", 95, nullptr), 0);
  ThumbnailParams p;
  p.size = 256;
  p.radius = 0;
  testing::DecodedPng a = DecodePng(*RenderThumbnailPng(png, p));
  testing::DecodedPng b = DecodePng(*RenderThumbnailPng(webp, p));
  ASSERT_EQ(a.width, 256);
  ASSERT_EQ(b.width, a.width);
  ASSERT_EQ(b.height, a.height);
  ASSERT_EQ(b.bands, a.bands);
  double diff = 0;
  for (size_t i = 0; i < a.px.size(); ++i) diff += std::abs(a.px[i] - b.px[i]);
  EXPECT_LT(diff / a.px.size(), 4) << "mean abs diff " << diff / a.px.size();
}

// A large PNG is box-reduced while decoding, to no less than twice the thumbnail (Pillow's
// reducing_gap = 2, as PhotoMapAI's thumbnails are made), then resampled: the same picture as
// resampling the full-size pixels. Measured mean abs diff 0.13.
TEST(ThumbnailTest, LargePngThroughBoxReductionMatchesAFullResample) {
  Result<RgbImage> full = DecodeImage(Photo("real/forest_path_2560x1600.jpg"));
  ASSERT_TRUE(full.ok());
  VipsImagePtr v(vips_image_new_from_memory(full->pixels.data(), full->pixels.size(), full->width,
                                            full->height, 3, VIPS_FORMAT_UCHAR));
  const std::string png = ::testing::TempDir() + "/thumb_reduce_src.png";
  ASSERT_EQ(vips_pngsave(v.get(), png.c_str(), "compression", 1, nullptr), 0);
  ThumbnailParams p;
  p.size = 256;
  p.radius = 0;
  testing::DecodedPng reduced = DecodePng(*RenderThumbnailPng(png, p));
  testing::DecodedPng direct = DecodePng(*RenderThumbnailPngFromImage(*full, p));
  ASSERT_EQ(reduced.width, 256);
  ASSERT_EQ(reduced.height, 160);
  ASSERT_EQ(direct.width, reduced.width);
  ASSERT_EQ(direct.height, reduced.height);
  double diff = 0;
  for (size_t i = 0; i < direct.px.size(); ++i) diff += std::abs(direct.px[i] - reduced.px[i]);
  std::printf("box-reduced vs direct thumbnail: mean abs diff %.3f\n", diff / direct.px.size());
  EXPECT_LT(diff / direct.px.size(), 1.5);
}

TEST(ThumbnailTest, ColouredBorderAroundTheImage) {
  for (const char* color : {"#ff0000", "ff0000", "255,0,0"}) {
    Result<ThumbnailParams> p = ParseThumbnailParams(256, 12, color);
    ASSERT_TRUE(p.ok());
    testing::DecodedPng img = DecodePng(*RenderThumbnailPng(Photo("formats/photo.png"), *p));
    ASSERT_EQ(img.width, 256 + 16) << color;
    ASSERT_EQ(img.height, 160 + 16) << color;
    const uint8_t* edge = img.at(img.width / 2, 3);
    EXPECT_EQ(edge[0], 255) << color;
    EXPECT_EQ(edge[1], 0) << color;
    EXPECT_EQ(edge[2], 0) << color;
    EXPECT_EQ(edge[3], 255) << color;
    EXPECT_EQ(img.at(0, 0)[3], 0) << color;
  }
}

TEST(ThumbnailTest, TransparencyIsKeptNotReplaced) {
  ThumbnailParams p;
  p.size = 200;
  p.radius = 0;
  testing::DecodedPng img = DecodePng(*RenderThumbnailPng(Photo("formats/photo_rgba.png"), p));
  ASSERT_EQ(img.bands, 4);
  EXPECT_LT(img.at(0, 0)[3], 10);  // the source's transparent corner stays transparent
  EXPECT_EQ(img.at(100, 62)[3], 255);
}

TEST(ThumbnailTest, FromAStillImage) {
  RgbImage still = *DecodeImage(Photo("real/cat_chelsea.jpg"));
  ThumbnailParams p;
  p.size = 128;
  testing::DecodedPng img = DecodePng(*RenderThumbnailPngFromImage(still, p));
  EXPECT_EQ(img.width, 128);
  EXPECT_EQ(img.height, 85);
  RgbImage bad;
  bad.width = 10;
  bad.height = 10;
  EXPECT_EQ(RenderThumbnailPngFromImage(bad, p).error().kind, ErrorKind::kInvalidInput);
}

TEST(ThumbnailTest, BrokenSourcesFailCleanly) {
  ThumbnailParams p;
  for (const char* f : {"broken/empty.jpg", "broken/bomb_50000x50000.png", "broken/header_only.jpg",
                        "broken/truncated_50pct.heic", "video/clip.mp4"}) {
    Result<std::string> png = RenderThumbnailPng(Photo(f), p);
    EXPECT_FALSE(png.ok()) << f;
  }
  EXPECT_TRUE(RenderThumbnailPng(Photo("broken/png_named.jpg"), p).ok());
  EXPECT_TRUE(RenderThumbnailPng(Photo("broken/corrupt_exif.jpg"), p).ok());
}

TEST(ThumbnailTest, VideoPlaceholder) {
  for (int size : {1, 64, 256, 1024}) {
    testing::DecodedPng img = DecodePng(RenderVideoPlaceholderPng(size));
    ASSERT_EQ(img.width, size);
    ASSERT_EQ(img.height, size);
    ASSERT_EQ(img.bands, 4);
    EXPECT_EQ(img.at(0, 0)[3], 255);
    if (size >= 64) {
      EXPECT_EQ(img.at(0, 0)[0], 34);
      EXPECT_EQ(img.at(size / 2, size / 2)[0], 140);  // inside the play triangle
      int unit = std::max(4, size / 4);
      EXPECT_EQ(img.at(size / 2, size / 2 - unit)[0], 140);                 // on the ring, top
      EXPECT_EQ(img.at(size / 2, size / 2 - unit + 3 + size / 64)[0], 34);  // inside the ring
    }
  }
}

TEST(PathDigestTest, Blake2b128KnownDigests) {
  EXPECT_EQ(Blake2bHex("", 16), "cae66941d9efbd404e4d88758ea67670");
  EXPECT_EQ(Blake2bHex("abc", 16), "cf4ab791c62b8d2b2109c90275287816");
  EXPECT_EQ(Blake2bHex("abc", 0), "");
  EXPECT_EQ(Blake2bHex("abc", 64).size(), 128u);
}

}  // namespace
}  // namespace photomap::media
