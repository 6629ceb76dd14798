#include "media/video_probe.h"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <atomic>
#include <chrono>
#include <filesystem>

#include "media/meta_test_paths.h"

namespace photomap::media {
namespace {

using testing::Photo;

VideoInfo MustProbe(const std::string& relative) {
  Result<VideoInfo> r = ProbeVideo(Photo(relative));
  EXPECT_TRUE(r.ok()) << relative << ": " << (r.ok() ? "" : r.error().message);
  return r.ok() ? std::move(r).value() : VideoInfo{};
}

TEST(VideoProbeTest, ClipMp4) {
  const VideoInfo v = MustProbe("video/clip.mp4");
  EXPECT_NEAR(*v.duration_s, 2.0, 0.05);
  EXPECT_NEAR(*v.fps, 10.0, 1e-6);
  EXPECT_EQ(v.width, 64);
  EXPECT_EQ(v.height, 64);
  EXPECT_EQ(v.rotation_cw, 0);
  EXPECT_EQ(v.codec, "h264");
  EXPECT_EQ(v.container, "mov,mp4,m4a,3gp,3g2,mj2");
  EXPECT_TRUE(v.playable);
}

TEST(VideoProbeTest, ClipWebm) {
  const VideoInfo v = MustProbe("video/clip.webm");
  EXPECT_NEAR(*v.duration_s, 2.0, 0.05);
  EXPECT_NEAR(*v.fps, 10.0, 1e-6);
  EXPECT_EQ(v.codec, "vp9");
  EXPECT_EQ(v.container, "matroska,webm");
  EXPECT_TRUE(v.playable);
}

TEST(VideoProbeTest, RotatedCounterClockwise) {
  // Display matrix rotation +90 (counter-clockwise): shown as 32x64.
  const VideoInfo v = MustProbe("video/rotated.mp4");
  EXPECT_EQ(v.coded_width, 64);
  EXPECT_EQ(v.coded_height, 32);
  EXPECT_EQ(v.rotation_cw, 270);
  EXPECT_EQ(v.width, 32);
  EXPECT_EQ(v.height, 64);
}

TEST(VideoProbeTest, PortraitPhoneVideo) {
  // Display matrix rotation -90 (clockwise), the phone convention: upright 360x640.
  const VideoInfo v = MustProbe("video/portrait_rotate90_640x360.mp4");
  EXPECT_EQ(v.rotation_cw, 90);
  EXPECT_EQ(v.width, 360);
  EXPECT_EQ(v.height, 640);
  EXPECT_NEAR(*v.duration_s, 3.0, 0.05);
  EXPECT_NEAR(*v.fps, 30.0, 1e-6);
  EXPECT_FALSE(v.has_audio);
}

TEST(VideoProbeTest, ShortAndLandscape) {
  const VideoInfo s = MustProbe("video/short.mp4");
  EXPECT_NEAR(*s.duration_s, 0.2, 0.05);
  EXPECT_EQ(s.width, 48);
  EXPECT_EQ(s.height, 32);
  const VideoInfo l = MustProbe("video/landscape_640x360.mp4");
  EXPECT_EQ(l.rotation_cw, 0);
  EXPECT_EQ(l.width, 640);
  EXPECT_EQ(l.height, 360);
  EXPECT_NEAR(*l.fps, 30.0, 1e-6);
  EXPECT_NEAR(*l.duration_s, 3.0, 0.05);
}

TEST(VideoProbeTest, TruncatedMp4SaysMoovAtomNotFound) {
  const auto start = std::chrono::steady_clock::now();
  Result<VideoInfo> r = ProbeVideo(Photo("video/broken.mp4"));
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(5));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().kind, ErrorKind::kCorrupt);
  EXPECT_NE(r.error().message.find("moov atom not found"), std::string::npos) << r.error().message;
  EXPECT_NE(r.error().message.find("broken.mp4"), std::string::npos);
}

TEST(VideoProbeTest, NonVideosAreErrors) {
  EXPECT_EQ(ProbeVideo(Photo("missing.mp4")).error().kind, ErrorKind::kNotFound);
  for (const char* name : {"broken/text_file.jpg", "broken/empty.jpg", "broken/random_bytes.png"}) {
    Result<VideoInfo> r = ProbeVideo(Photo(name));
    EXPECT_FALSE(r.ok()) << name;
  }
  for (const char* name :
       {"real/building1.jpeg", "formats/photo.png", "formats/photo_animated.gif"}) {
    Result<VideoInfo> r = ProbeVideo(Photo(name));
    ASSERT_FALSE(r.ok()) << name;
    EXPECT_EQ(r.error().kind, ErrorKind::kUnsupported) << name << ": " << r.error().message;
  }
  EXPECT_EQ(ProbeVideo(Photo("video")).error().kind, ErrorKind::kUnsupported);  // a directory
}

TEST(VideoProbeTest, FifoIsRefusedWithoutBlocking) {
  // Opening a FIFO with no writer would block in open(2), where no interrupt can reach it.
  const auto fifo = std::filesystem::temp_directory_path() / "photomap_probe_test.fifo.mp4";
  std::filesystem::remove(fifo);
  ASSERT_EQ(::mkfifo(fifo.c_str(), 0600), 0);
  Result<VideoInfo> r = ProbeVideo(fifo);
  std::filesystem::remove(fifo);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().kind, ErrorKind::kUnsupported);
}

TEST(VideoProbeTest, CancelAndDeadlineStopIt) {
  std::atomic<bool> cancel{true};
  VideoProbeOptions options;
  options.cancel = &cancel;
  Result<VideoInfo> r = ProbeVideo(Photo("video/landscape_640x360.mp4"), options);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().kind, ErrorKind::kCancelled);
  options = VideoProbeOptions{};
  options.timeout_ms = 0;
  r = ProbeVideo(Photo("video/landscape_640x360.mp4"), options);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message.find("timed out"), std::string::npos) << r.error().message;
}

TEST(VideoProbeTest, InfoJsonHasPhotoMapAiKeys) {
  const nlohmann::json j = VideoInfoToJson(MustProbe("video/rotated.mp4"));
  for (const char* key : {"duration", "fps", "width", "height", "codec", "container", "playable"}) {
    EXPECT_TRUE(j.contains(key)) << key;
  }
  EXPECT_EQ(j["width"], 32);
  EXPECT_EQ(j["rotation"], 270);
  EXPECT_FALSE(IsWebPlayableVideo("a.mkv"));
  EXPECT_TRUE(IsWebPlayableVideo("A.MOV"));
}

}  // namespace
}  // namespace photomap::media
