#include "media/browser_image.h"

#include <gtest/gtest.h>

#include "media/decoder.h"
#include "media/pixel_testing.h"

namespace photomap::media {
namespace {

using testing::Photo;

TEST(BrowserImageTest, HeicBecomesAnUprightPngOfTheSamePicture) {
  Result<BrowserImage> png = ConvertForBrowser(Photo("formats/photo.heic"), BrowserFormat::kPng);
  ASSERT_TRUE(png.ok()) << png.error().message;
  EXPECT_EQ(png->mime_type, "image/png");
  std::vector<uint8_t> bytes(png->bytes.begin(), png->bytes.end());
  Result<RgbImage> back = DecodeFromMemory(bytes);
  ASSERT_TRUE(back.ok());
  Result<RgbImage> ref = DecodeImage(Photo("formats/photo.png"));
  EXPECT_LT(testing::MeanAbsDiff(*back, *ref), 4);
}

TEST(BrowserImageTest, JpegOutputAndOrientation) {
  Result<BrowserImage> jpg =
      ConvertForBrowser(Photo("exif/orientation_6.jpg"), BrowserFormat::kJpeg);
  ASSERT_TRUE(jpg.ok()) << jpg.error().message;
  EXPECT_EQ(jpg->mime_type, "image/jpeg");
  std::vector<uint8_t> bytes(jpg->bytes.begin(), jpg->bytes.end());
  Result<RgbImage> back = DecodeFromMemory(bytes);
  ASSERT_TRUE(back.ok());
  EXPECT_EQ(back->width, 640);  // rotated once; the re-encoded JPEG carries no orientation
  EXPECT_EQ(back->height, 400);
}

TEST(BrowserImageTest, WhichFilesNeedConversion) {
  for (const char* p :
       {"a.HEIC", "a.heif", "a.avif", "a.tif", "a.tiff", "a.bmp", "a.dng", "a.CR3"}) {
    EXPECT_TRUE(NeedsBrowserConversion(p)) << p;
  }
  for (const char* p : {"a.jpg", "a.jpeg", "a.png", "a.gif", "a.webp", "a.mp4"}) {
    EXPECT_FALSE(NeedsBrowserConversion(p)) << p;
  }
  EXPECT_EQ(
      ConvertForBrowser(Photo("broken/truncated_50pct.heic"), BrowserFormat::kPng).error().kind,
      ErrorKind::kCorrupt);
  EXPECT_EQ(ConvertForBrowser(Photo("broken/header_only.jpg"), BrowserFormat::kJpeg).error().kind,
            ErrorKind::kCorrupt);
}

}  // namespace
}  // namespace photomap::media
