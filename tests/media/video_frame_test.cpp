#include "media/video_frame.h"

#include <gtest/gtest.h>

#include <array>
#include <atomic>
#include <cstdlib>

#include "media/meta_test_paths.h"

namespace photomap::media {
namespace {

using testing::Photo;

std::array<int, 3> Centre(const RgbImage& img) {
  const uint8_t* p = img.row(img.height / 2) + (img.width / 2) * 3;
  return {p[0], p[1], p[2]};
}

// Mean of G - (R+B)/2 over rows [y0, y1).
double Greenness(const RgbImage& img, int y0, int y1) {
  double sum = 0;
  for (int y = y0; y < y1; ++y) {
    for (int x = 0; x < img.width; ++x) {
      const uint8_t* p = img.row(y) + x * 3;
      sum += p[1] - (p[0] + p[2]) / 2.0;
    }
  }
  return sum / (static_cast<double>(y1 - y0) * img.width);
}

VideoFrame MustExtract(const std::string& relative, VideoFrameOptions options = {}) {
  Result<VideoFrame> r = ExtractVideoFrame(Photo(relative), options);
  EXPECT_TRUE(r.ok()) << relative << ": " << (r.ok() ? "" : r.error().message);
  return r.ok() ? std::move(r).value() : VideoFrame{};
}

TEST(VideoFrameTest, ClipAtOneSecondIsBlue) {
  const VideoFrame f = MustExtract("video/clip.mp4");
  EXPECT_EQ(f.image.width, 64);
  EXPECT_EQ(f.image.height, 64);
  EXPECT_FALSE(f.from_first_frame);
  EXPECT_GE(f.timestamp_s, 1.0 - 1e-9);
  const auto c = Centre(f.image);
  EXPECT_LT(c[0], 40);
  EXPECT_LT(c[1], 40);
  EXPECT_GT(c[2], 200) << "centre " << c[0] << "," << c[1] << "," << c[2];
}

TEST(VideoFrameTest, WebmDecodes) {
  // clip.webm (VP9) is one solid yellow for its whole 2 s; the README gives no colour, this
  // pins what libav decodes so a colour-conversion regression shows.
  const VideoFrame f = MustExtract("video/clip.webm");
  EXPECT_EQ(f.image.width, 64);
  EXPECT_NEAR(f.timestamp_s, 1.0, 1e-9);
  const auto c = Centre(f.image);
  EXPECT_GT(c[0], 240);
  EXPECT_GT(c[1], 240);
  EXPECT_LT(c[2], 20);
}

TEST(VideoFrameTest, ClipAtZeroIsRed) {
  VideoFrameOptions options;
  options.seek_seconds = 0;
  const VideoFrame f = MustExtract("video/clip.mp4", options);
  const auto c = Centre(f.image);
  EXPECT_GT(c[0], 200);
  EXPECT_LT(c[2], 40);
}

TEST(VideoFrameTest, ShortClipFallsBackToFirstFrame) {
  const VideoFrame f = MustExtract("video/short.mp4");
  EXPECT_TRUE(f.from_first_frame);
  EXPECT_EQ(f.image.width, 48);
  EXPECT_EQ(f.image.height, 32);
  const auto c = Centre(f.image);
  EXPECT_LE(std::abs(c[0] - 0), 6) << c[0];
  EXPECT_LE(std::abs(c[1] - 127), 6) << c[1];
  EXPECT_LE(std::abs(c[2] - 0), 6) << c[2];
}

TEST(VideoFrameTest, RotationIsApplied) {
  const VideoFrame r = MustExtract("video/rotated.mp4");
  EXPECT_EQ(r.image.width, 32);
  EXPECT_EQ(r.image.height, 64);
  const VideoFrame p = MustExtract("video/portrait_rotate90_640x360.mp4");
  EXPECT_EQ(p.image.width, 360);
  EXPECT_EQ(p.image.height, 640);
  EXPECT_EQ(p.display_width, 360);
  EXPECT_EQ(p.display_height, 640);
  // Upright, not upside down: the mossy forest floor (green) is at the bottom, the canopy with
  // sky gaps at the top. Measured upright: bottom quarter 20.8, top quarter 9.5.
  EXPECT_GT(Greenness(p.image, p.image.height * 3 / 4, p.image.height),
            Greenness(p.image, 0, p.image.height / 4) + 5);
}

TEST(VideoFrameTest, LongSideCapKeepsAspect) {
  VideoFrameOptions options;
  options.max_long_side_px = 64;
  const VideoFrame p = MustExtract("video/portrait_rotate90_640x360.mp4", options);
  EXPECT_EQ(p.image.width, 36);
  EXPECT_EQ(p.image.height, 64);
  EXPECT_EQ(p.display_width, 360);  // the size before the downscale, as PhotoMapAI reports it
  EXPECT_EQ(p.display_height, 640);
  const VideoFrame l = MustExtract("video/landscape_640x360.mp4", options);
  EXPECT_EQ(l.image.width, 64);
  EXPECT_EQ(l.image.height, 36);
}

TEST(VideoFrameTest, BrokenAndNonVideoFilesAreErrors) {
  Result<VideoFrame> r = ExtractVideoFrame(Photo("video/broken.mp4"));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().kind, ErrorKind::kCorrupt);
  EXPECT_NE(r.error().message.find("moov atom not found"), std::string::npos) << r.error().message;
  EXPECT_FALSE(ExtractVideoFrame(Photo("broken/text_file.jpg")).ok());
  EXPECT_EQ(ExtractVideoFrame(Photo("real/building1.jpeg")).error().kind, ErrorKind::kUnsupported);
  EXPECT_EQ(ExtractVideoFrame(Photo("nope.mp4")).error().kind, ErrorKind::kNotFound);
  std::atomic<bool> cancel{true};
  VideoFrameOptions options;
  options.cancel = &cancel;
  EXPECT_EQ(ExtractVideoFrame(Photo("video/clip.mp4"), options).error().kind,
            ErrorKind::kCancelled);
}

TEST(VideoFrameTest, RotateClockwise) {
  // 3x2 image, pixel value = index, in the red channel.
  RgbImage img{3, 2, {}};
  for (int i = 0; i < 6; ++i) img.pixels.insert(img.pixels.end(), {static_cast<uint8_t>(i), 0, 0});
  const auto reds = [](const RgbImage& m) {
    std::vector<int> out;
    for (size_t i = 0; i < m.pixels.size(); i += 3) out.push_back(m.pixels[i]);
    return out;
  };
  // 0 1 2      cw90: 3 0     180: 5 4 3     cw270: 2 5
  // 3 4 5            4 1          2 1 0            1 4
  //                  5 2                           0 3
  const RgbImage r90 = RotateClockwise(img, 90);
  EXPECT_EQ(r90.width, 2);
  EXPECT_EQ(reds(r90), (std::vector<int>{3, 0, 4, 1, 5, 2}));
  EXPECT_EQ(reds(RotateClockwise(img, 180)), (std::vector<int>{5, 4, 3, 2, 1, 0}));
  EXPECT_EQ(reds(RotateClockwise(img, 270)), (std::vector<int>{2, 5, 1, 4, 0, 3}));
  EXPECT_EQ(reds(RotateClockwise(img, 45)), reds(img));
}

}  // namespace
}  // namespace photomap::media
