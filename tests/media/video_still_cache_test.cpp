#include "media/video_still_cache.h"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <turbojpeg.h>
#include <unistd.h>

#include <atomic>
#include <fstream>
#include <iterator>
#include <random>
#include <thread>

#include "media/meta_test_paths.h"

namespace photomap::media {
namespace {

namespace fs = std::filesystem;
using testing::Photo;

std::string ReadFile(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

// Decodes a JPEG; returns an empty image when it is not a complete, valid JPEG.
RgbImage DecodeJpeg(const std::string& data) {
  RgbImage img;
  tjhandle tj = tjInitDecompress();
  int w = 0, h = 0, subsamp = 0, colorspace = 0;
  if (tjDecompressHeader3(tj, reinterpret_cast<const unsigned char*>(data.data()), data.size(), &w,
                          &h, &subsamp, &colorspace) == 0) {
    img.pixels.resize(static_cast<size_t>(w) * h * 3);
    if (tjDecompress2(tj, reinterpret_cast<const unsigned char*>(data.data()), data.size(),
                      img.pixels.data(), w, 0, h, TJPF_RGB, 0) == 0 &&
        tjGetErrorCode(tj) != TJERR_WARNING) {
      img.width = w;
      img.height = h;
    } else {
      img.pixels.clear();
    }
  }
  tjDestroy(tj);
  return img;
}

RgbImage Solid(int w, int h, uint8_t r, uint8_t g, uint8_t b) {
  RgbImage img{w, h, {}};
  for (int i = 0; i < w * h; ++i) img.pixels.insert(img.pixels.end(), {r, g, b});
  return img;
}

class VideoStillCacheTest : public ::testing::Test {
 protected:
  void SetUp() override {
    root_ = fs::temp_directory_path() /
            ("photomap_still_cache_" + std::to_string(::getpid()) + "_" +
             ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(root_);
    fs::create_directories(root_);
    video_ = root_ / "clip.mp4";
    fs::copy_file(Photo("video/clip.mp4"), video_);
    options_.directory = root_ / "stills";
  }
  void TearDown() override { fs::remove_all(root_); }

  size_t CountFiles(const std::string& extension) const {
    size_t n = 0;
    if (!fs::exists(options_.directory)) return 0;
    for (const auto& e : fs::directory_iterator(options_.directory)) {
      if (e.path().extension() == extension) ++n;
    }
    return n;
  }

  fs::path root_;
  fs::path video_;
  VideoStillCacheOptions options_;
};

TEST_F(VideoStillCacheTest, EnsureExtractsStoresAndHits) {
  VideoStillCache cache(options_);
  EXPECT_FALSE(cache.Get(video_).has_value());
  Result<fs::path> still = cache.Ensure(video_);
  ASSERT_TRUE(still.ok()) << still.error().message;
  EXPECT_EQ(still->parent_path(), options_.directory);  // never beside the video
  const RgbImage img = DecodeJpeg(ReadFile(*still));
  ASSERT_EQ(img.width, 64);
  const uint8_t* c = img.row(32) + 32 * 3;
  EXPECT_GT(c[2], 200);  // the frame at 1 s is blue
  EXPECT_LT(c[0], 50);
  EXPECT_EQ(cache.Get(video_), *still);
  EXPECT_EQ(CountFiles(".tmp"), 0u);
}

TEST_F(VideoStillCacheTest, KeyFollowsPathSizeAndMtime) {
  VideoStillCache cache(options_);
  Result<std::string> k1 = cache.KeyFor(video_);
  ASSERT_TRUE(k1.ok());
  EXPECT_EQ(k1->size(), 32u + 1 + 16);
  EXPECT_EQ(cache.KeyFor(root_ / "." / "clip.mp4").value(), *k1);  // resolved path
  ASSERT_TRUE(cache.Ensure(video_).ok());
  const struct timespec times[2] = {{0, UTIME_OMIT}, {1234567890, 5}};
  ASSERT_EQ(::utimensat(AT_FDCWD, video_.c_str(), times, 0), 0);
  Result<std::string> k2 = cache.KeyFor(video_);
  ASSERT_TRUE(k2.ok());
  EXPECT_NE(*k2, *k1);
  EXPECT_EQ(k2->substr(0, 33), k1->substr(0, 33));  // same path digest: one file's generations
  EXPECT_FALSE(cache.Get(video_).has_value());      // an edited video is a miss
  ASSERT_TRUE(cache.Ensure(video_).ok());
  EXPECT_EQ(CountFiles(".jpg"), 2u);
  cache.Discard(video_);
  EXPECT_EQ(CountFiles(".jpg"), 0u);
  EXPECT_EQ(cache.KeyFor(root_ / "missing.mp4").error().kind, ErrorKind::kNotFound);
}

TEST_F(VideoStillCacheTest, EnsureIsSingleFlight) {
  VideoStillCache cache(options_);
  std::atomic<int> calls{0};
  cache.SetExtractorForTesting([&](const fs::path&) -> Result<RgbImage> {
    ++calls;
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
    return Solid(16, 8, 0, 255, 0);
  });
  std::vector<std::thread> threads;
  std::vector<std::string> results(8);
  for (int i = 0; i < 8; ++i) {
    threads.emplace_back([&, i] {
      Result<fs::path> p = cache.Ensure(video_);
      results[i] = p.ok() ? p->string() : "error: " + p.error().message;
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(calls.load(), 1);
  for (const auto& r : results) EXPECT_EQ(r, results[0]);
  EXPECT_EQ(DecodeJpeg(ReadFile(results[0])).width, 16);
}

TEST_F(VideoStillCacheTest, FailuresAreRememberedForTheTtl) {
  VideoStillCache cache(options_);
  auto now = std::chrono::steady_clock::now();
  cache.SetClockForTesting([&] { return now; });
  int calls = 0;
  cache.SetExtractorForTesting([&](const fs::path& p) -> Result<RgbImage> {
    ++calls;
    return Corrupt(p.string() + ": cannot decode");
  });
  EXPECT_EQ(cache.Ensure(video_).error().kind, ErrorKind::kCorrupt);
  Result<fs::path> again = cache.Ensure(video_);
  EXPECT_EQ(again.error().kind, ErrorKind::kCorrupt);
  EXPECT_NE(again.error().message.find("failed recently"), std::string::npos);
  EXPECT_EQ(calls, 1);
  now += std::chrono::seconds(299);
  (void)cache.Ensure(video_);
  EXPECT_EQ(calls, 1);
  now += std::chrono::seconds(2);  // past the 300 s TTL
  (void)cache.Ensure(video_);
  EXPECT_EQ(calls, 2);
}

TEST_F(VideoStillCacheTest, BrokenVideoFailsCleanly) {
  VideoStillCache cache(options_);
  const fs::path broken = root_ / "broken.mp4";
  fs::copy_file(Photo("video/broken.mp4"), broken);
  Result<fs::path> r = cache.Ensure(broken);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message.find("moov atom not found"), std::string::npos);
  EXPECT_EQ(CountFiles(".jpg"), 0u);
  EXPECT_EQ(CountFiles(".tmp"), 0u);
}

TEST_F(VideoStillCacheTest, ReadersNeverSeeHalfAStill) {
  VideoStillCache cache(options_);
  Result<std::string> key = cache.KeyFor(video_);
  ASSERT_TRUE(key.ok());
  const fs::path target = cache.PathForKey(*key);
  std::mt19937 rng(7);
  std::vector<RgbImage> images;
  for (int i = 0; i < 4; ++i) {  // noisy images make JPEGs large enough to be written in pieces
    RgbImage img = Solid(512, 512, 0, 0, 0);
    for (auto& p : img.pixels) p = static_cast<uint8_t>(rng());
    images.push_back(std::move(img));
  }
  std::atomic<bool> done{false};
  std::atomic<int> reads{0}, torn{0};
  std::thread reader([&] {
    while (!done) {
      if (!fs::exists(target)) continue;
      const std::string data = ReadFile(target);
      ++reads;
      if (DecodeJpeg(data).width != 512) ++torn;
    }
  });
  for (int i = 0; i < 40; ++i) ASSERT_TRUE(cache.Store(video_, images[i % 4]).ok());
  done = true;
  reader.join();
  EXPECT_GT(reads.load(), 0);
  EXPECT_EQ(torn.load(), 0);
  EXPECT_EQ(CountFiles(".tmp"), 0u);
  EXPECT_EQ(cache.Store(video_, RgbImage{}).error().kind, ErrorKind::kInvalidInput);
}

TEST_F(VideoStillCacheTest, EmptyFileIsAMissAndSelfHeals) {
  VideoStillCache cache(options_);
  fs::create_directories(options_.directory);
  std::ofstream(cache.PathForKey(cache.KeyFor(video_).value())).flush();
  EXPECT_FALSE(cache.Get(video_).has_value());
  Result<fs::path> still = cache.Ensure(video_);
  ASSERT_TRUE(still.ok());
  EXPECT_GT(fs::file_size(*still), 0u);
}

TEST_F(VideoStillCacheTest, PruneKeepsOnlyListedKeysAndClearRemovesAll) {
  VideoStillCache cache(options_);
  const fs::path other = root_ / "other.mp4";
  fs::copy_file(Photo("video/short.mp4"), other);
  ASSERT_TRUE(cache.Ensure(video_).ok());
  ASSERT_TRUE(cache.Ensure(other).ok());
  std::ofstream(options_.directory / ".leftover.abc.tmp") << "x";
  ASSERT_TRUE(cache.Prune({cache.KeyFor(video_).value()}).ok());
  EXPECT_TRUE(cache.Get(video_).has_value());
  EXPECT_FALSE(cache.Get(other).has_value());
  EXPECT_EQ(CountFiles(".tmp"), 0u);
  ASSERT_TRUE(cache.Clear().ok());
  EXPECT_FALSE(fs::exists(options_.directory));
  EXPECT_TRUE(cache.Prune({}).ok());  // nothing to prune is fine
}

}  // namespace
}  // namespace photomap::media
