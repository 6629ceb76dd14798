#include "scan/media_types.h"

#include <gtest/gtest.h>

namespace photomap::scan {
namespace {

TEST(MediaTypesTest, LowerSuffixFollowsPythonSuffixRules) {
  EXPECT_EQ(LowerSuffix("/a/b/Photo.JPG"), ".jpg");
  EXPECT_EQ(LowerSuffix("archive.tar.GZ"), ".gz");
  EXPECT_EQ(LowerSuffix(".jpg"), "");  // a hidden file named ".jpg" has no suffix
  EXPECT_EQ(LowerSuffix("name."), "");
  EXPECT_EQ(LowerSuffix("noext"), "");
  EXPECT_EQ(LowerSuffix("/dir.jpg/file"), "");
}

TEST(MediaTypesTest, ClassifiesPhotoMapAiListsPlusTifAndRaw) {
  for (const char* p :
       {"a.jpg", "a.JPEG", "a.png", "a.bmp", "a.gif", "a.webp", "a.tiff", "a.heif", "a.HEIC",
        "a.tif", "a.dng", "a.CR2", "a.cr3", "a.nef", "a.arw", "a.orf", "a.rw2", "a.raf"}) {
    EXPECT_EQ(ClassifyMediaPath(p), MediaKind::kImage) << p;
  }
  for (const char* p :
       {"a.mp4", "a.M4V", "a.mov", "a.webm", "a.ogv", "a.ogg", "a.mkv", "a.avi", "a.wmv", "a.flv",
        "a.asf", "a.mpg", "a.mpeg", "a.m2v", "a.vob", "a.m2ts", "a.mts", "a.3gp", "a.3g2"}) {
    EXPECT_EQ(ClassifyMediaPath(p), MediaKind::kVideo) << p;
  }
  for (const char* p : {"a.ts", "a.txt", "passwd", "a.avif", "a.jpg.bak", ".jpg"}) {
    EXPECT_EQ(ClassifyMediaPath(p), std::nullopt) << p;
  }
  EXPECT_TRUE(IsRawSuffix(".dng"));
  EXPECT_FALSE(IsRawSuffix(".tif"));
}

TEST(MediaTypesTest, VideoMimeMapMatchesSpec) {
  EXPECT_EQ(VideoMimeType("x.mp4"), "video/mp4");
  EXPECT_EQ(VideoMimeType("x.M4V"), "video/x-m4v");
  EXPECT_EQ(VideoMimeType("x.mov"), "video/quicktime");
  EXPECT_EQ(VideoMimeType("x.ogg"), "video/ogg");
  EXPECT_EQ(VideoMimeType("x.mkv"), "video/x-matroska");
  EXPECT_EQ(VideoMimeType("x.vob"), "video/mpeg");
  EXPECT_EQ(VideoMimeType("x.mts"), "video/mp2t");
  EXPECT_EQ(VideoMimeType("x.3g2"), "video/3gpp2");
  EXPECT_EQ(VideoMimeType("x.ts"), "application/octet-stream");
  EXPECT_TRUE(IsWebPlayableVideo("a.MOV"));
  EXPECT_FALSE(IsWebPlayableVideo("a.mkv"));
  EXPECT_EQ(VideoSuffixes().size(), 19u);
}

}  // namespace
}  // namespace photomap::scan
