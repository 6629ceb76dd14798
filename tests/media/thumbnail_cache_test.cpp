#include "media/thumbnail_cache.h"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <atomic>
#include <chrono>
#include <thread>

#include "media/path_digest.h"
#include "media/pixel_testing.h"
#include "media/thumbnail_renderer.h"
#include "scan/temp_tree.h"

namespace photomap::media {
namespace {

using scan::testing::TempTree;
using testing::DecodePng;
using testing::Photo;

void SetMtime(const std::filesystem::path& p, int64_t sec) {
  struct timespec t[2] = {{sec, 0}, {sec, 0}};
  ASSERT_EQ(utimensat(AT_FDCWD, p.c_str(), t, 0), 0);
}

std::string Slurp(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  return std::string((std::istreambuf_iterator<char>(in)), {});
}

TEST(ThumbnailCacheTest, FileNamesHashTheWholeRelativePath) {
  ThumbnailParams p;
  std::string h = Blake2bHex("a/b.jpg", 16);
  EXPECT_EQ(ThumbnailCache::CacheFileName("a/b.jpg", p), h + "_256.png");
  // The seed PR's collisions: a/b.jpg vs a_b.jpg, cat.png vs cat.jpg.
  EXPECT_NE(ThumbnailCache::CacheFileName("a/b.jpg", p),
            ThumbnailCache::CacheFileName("a_b.jpg", p));
  EXPECT_NE(ThumbnailCache::CacheFileName("cat.png", p),
            ThumbnailCache::CacheFileName("cat.jpg", p));
  EXPECT_EQ(ThumbnailCache::CacheFileName("", p), "cae66941d9efbd404e4d88758ea67670_256.png");
  p.radius = 0;  // the radius is part of the name even without a colour (quirk 8 fixed)
  EXPECT_EQ(ThumbnailCache::CacheFileName("abc", p), "cf4ab791c62b8d2b2109c90275287816_256_r0.png");
  p.radius = 12;
  p.size = 128;
  p.color = ParseThumbnailParams({}, {}, "#FF8800")->color;
  std::string with_hash = ThumbnailCache::CacheFileName("abc", p);
  EXPECT_EQ(with_hash, "cf4ab791c62b8d2b2109c90275287816_128_ff8800_r12.png");
  p.color = ParseThumbnailParams({}, {}, "ff8800")->color;
  EXPECT_EQ(ThumbnailCache::CacheFileName("abc", p), with_hash);
  p.color = ParseThumbnailParams({}, {}, "255,136,0")->color;
  EXPECT_EQ(ThumbnailCache::CacheFileName("abc", p), with_hash);
  EXPECT_EQ(ThumbnailCache::CacheFileName("日本/写真.jpg", ThumbnailParams{}),
            Blake2bHex("日本/写真.jpg", 16) + "_256.png");
}

TEST(ThumbnailCacheTest, CollidingNamesOfTheSeedPrGetTheirOwnContent) {
  TempTree album;
  auto ab = album.Copy(Photo("exif/orientation_1.jpg"), "a/b.jpg");
  auto a_b = album.Copy(Photo("real/cat_chelsea.jpg"), "a_b.jpg");
  auto cat_png = album.Copy(Photo("formats/photo.png"), "cat.png");
  auto cat_jpg = album.Copy(Photo("real/building2.jpg"), "cat.jpg");
  ThumbnailCache cache(album.root() / "photomap_index/thumbnails");
  ThumbnailParams p;
  p.size = 64;
  auto dims = [&](const std::filesystem::path& src, const std::string& rel) {
    Result<std::filesystem::path> t = cache.GetOrRenderImage(src.string(), rel, p);
    EXPECT_TRUE(t.ok()) << rel;
    testing::DecodedPng img = DecodePng(t.ok() ? Slurp(*t) : std::string());
    return std::make_pair(img.width, img.height);
  };
  EXPECT_EQ(dims(ab, "a/b.jpg"), std::make_pair(64, 40));   // 640x400
  EXPECT_EQ(dims(a_b, "a_b.jpg"), std::make_pair(64, 43));  // 451x300
  EXPECT_EQ(dims(cat_png, "cat.png"), std::make_pair(64, 40));
  EXPECT_EQ(dims(cat_jpg, "cat.jpg"), std::make_pair(48, 64));  // 384x512
  EXPECT_EQ(cache.RenderCountForTesting(), 4);
}

TEST(ThumbnailCacheTest, StaleEntriesAreRegenerated) {
  TempTree album;
  auto src = album.Copy(Photo("real/cat_chelsea.jpg"), "pic.jpg");
  SetMtime(src, 1'600'000'000);
  ThumbnailCache cache(album.root() / "thumbs");
  ThumbnailParams p;
  p.size = 100;
  Result<std::filesystem::path> first = cache.GetOrRenderImage(src.string(), "pic.jpg", p);
  ASSERT_TRUE(first.ok()) << first.error().message;
  EXPECT_EQ(DecodePng(Slurp(*first)).width, 100);
  ASSERT_TRUE(cache.GetOrRenderImage(src.string(), "pic.jpg", p).ok());
  EXPECT_EQ(cache.RenderCountForTesting(), 1);  // fresh: served from disk
  ASSERT_TRUE(cache.FreshEntry(src.string(), "pic.jpg", p).has_value());

  // Replace the photo with a portrait one, stamped newer than the cache entry.
  std::filesystem::copy_file(Photo("real/building2.jpg"), src,
                             std::filesystem::copy_options::overwrite_existing);
  SetMtime(src, std::chrono::duration_cast<std::chrono::seconds>(
                    std::chrono::system_clock::now().time_since_epoch())
                        .count() +
                    100);
  EXPECT_FALSE(cache.FreshEntry(src.string(), "pic.jpg", p).has_value());
  Result<std::filesystem::path> second = cache.GetOrRenderImage(src.string(), "pic.jpg", p);
  ASSERT_TRUE(second.ok());
  EXPECT_EQ(cache.RenderCountForTesting(), 2);
  testing::DecodedPng img = DecodePng(Slurp(*second));
  EXPECT_EQ(img.width, 75);  // 384x512 now
  EXPECT_EQ(img.height, 100);
  // A source stamped in the future still yields a fresh entry (mtime = max(now, source)).
  EXPECT_TRUE(cache.FreshEntry(src.string(), "pic.jpg", p).has_value());
  // No temp files are left behind.
  for (auto& e : std::filesystem::directory_iterator(cache.dir())) {
    EXPECT_EQ(e.path().extension(), ".png") << e.path();
    EXPECT_NE(e.path().filename().string()[0], '.') << e.path();
  }
}

TEST(ThumbnailCacheTest, ConcurrentRequestsRenderOnce) {
  TempTree album;
  auto src = album.Copy(Photo("formats/photo.png"), "p.png");
  ThumbnailCache cache(album.root() / "thumbs");
  std::atomic<int> calls{0};
  auto slow_render = [&]() -> Result<std::string> {
    ++calls;
    std::this_thread::sleep_for(std::chrono::milliseconds(300));
    return RenderThumbnailPng(src.string(), ThumbnailParams{});
  };
  std::vector<std::thread> threads;
  std::vector<std::string> paths(8);
  for (int i = 0; i < 8; ++i) {
    threads.emplace_back([&, i] {
      Result<std::filesystem::path> r =
          cache.GetOrCreate(src.string(), "p.png", ThumbnailParams{}, slow_render);
      if (r.ok()) paths[i] = r->string();
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(calls.load(), 1);
  EXPECT_EQ(cache.RenderCountForTesting(), 1);
  for (const std::string& p : paths) EXPECT_EQ(p, paths[0]);
  EXPECT_EQ(DecodePng(Slurp(paths[0])).width, 256);
}

TEST(ThumbnailCacheTest, ErrorsAreSharedAndNotCached) {
  TempTree album;
  auto src = album.File("broken.jpg", 100);
  ThumbnailCache cache(album.root() / "thumbs");
  Result<std::filesystem::path> r =
      cache.GetOrRenderImage(src.string(), "broken.jpg", ThumbnailParams{});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().kind, ErrorKind::kInvalidInput);
  EXPECT_FALSE(
      std::filesystem::exists(cache.dir() / ThumbnailCache::CacheFileName("broken.jpg", {})));
  EXPECT_EQ(
      cache.GetOrRenderImage((album.root() / "nope.jpg").string(), "nope.jpg", {}).error().kind,
      ErrorKind::kNotFound);
}

TEST(ThumbnailCacheTest, VideoStyleRenderFromAStill) {
  TempTree album;
  auto video = album.Copy(Photo("video/clip.mp4"), "clip.mp4");
  ThumbnailCache cache(album.root() / "thumbs");
  int renders = 0;
  auto from_still = [&]() -> Result<std::string> {
    ++renders;
    RgbImage still;
    still.width = 64;
    still.height = 32;
    still.pixels.assign(64 * 32 * 3, 200);
    return RenderThumbnailPngFromImage(still, ThumbnailParams{});
  };
  ASSERT_TRUE(cache.GetOrCreate(video.string(), "clip.mp4", {}, from_still).ok());
  ASSERT_TRUE(cache.GetOrCreate(video.string(), "clip.mp4", {}, from_still).ok());
  EXPECT_EQ(renders, 1);  // fresh against the video file: no second still needed
}

}  // namespace
}  // namespace photomap::media
