#include "scan/image_header.h"

#include <gtest/gtest.h>

#include <fstream>
#include <iterator>
#include <vector>

namespace photomap::scan {
namespace {

const std::string kPhotos = std::string(PHOTOMAP_SHARED_DIR) + "/photos/";

struct Case {
  const char* file;
  ImageFormat format;
  int64_t width, height;
};

TEST(ImageHeaderTest, ReadsStoredSizeOfEveryFormatInTheCorpus) {
  const Case cases[] = {
      {"formats/photo.png", ImageFormat::kPng, 640, 400},
      {"formats/photo_rgba.png", ImageFormat::kPng, 640, 400},
      {"formats/photo_16bit.png", ImageFormat::kPng, 640, 400},
      {"formats/photo_baseline.jpg", ImageFormat::kJpeg, 640, 400},
      {"formats/photo_progressive.jpg", ImageFormat::kJpeg, 640, 400},
      {"formats/photo_grey.jpg", ImageFormat::kJpeg, 640, 400},
      {"formats/photo_cmyk.jpg", ImageFormat::kJpeg, 640, 400},
      {"formats/photo.webp", ImageFormat::kWebp, 640, 400},
      {"formats/photo.gif", ImageFormat::kGif, 640, 400},
      {"formats/photo_animated.gif", ImageFormat::kGif, 320, 200},
      {"formats/photo.tif", ImageFormat::kTiff, 640, 400},
      {"formats/photo.tiff", ImageFormat::kTiff, 640, 400},
      {"formats/photo.heic", ImageFormat::kHeif, 640, 400},
      {"formats/photo_thumb320.heic", ImageFormat::kHeif, 640, 400},  // primary, not the thumb
      {"formats/photo.avif", ImageFormat::kAvif, 640, 400},
      {"formats/photo_12mp_4032x3024.jpg", ImageFormat::kJpeg, 4032, 3024},
      {"exif/orientation_6.jpg", ImageFormat::kJpeg, 400, 640},
      {"real/handicraft1.jpeg", ImageFormat::kJpeg, 512, 384},
      {"real/forest_path_2560x1600.jpg", ImageFormat::kJpeg, 2560, 1600},
      {"broken/png_named.jpg", ImageFormat::kPng, 320, 200},
      {"broken/bomb_50000x50000.png", ImageFormat::kPng, 50000, 50000},
      {"broken/header_only.jpg", ImageFormat::kJpeg, 1600, 1000},
      {"broken/truncated_40pct.jpg", ImageFormat::kJpeg, 1600, 1000},
      {"broken/truncated_50pct.png", ImageFormat::kPng, 640, 400},
      {"broken/corrupt_exif.jpg", ImageFormat::kJpeg, 640, 400},
      {"invokeai/invokeai_v3.png", ImageFormat::kPng, 451, 300},
  };
  for (const Case& c : cases) {
    Result<ImageHeader> h = ReadImageHeader(kPhotos + c.file);
    ASSERT_TRUE(h.ok()) << c.file << ": " << h.error().message;
    EXPECT_EQ(h->format, c.format) << c.file;
    EXPECT_EQ(h->width, c.width) << c.file;
    EXPECT_EQ(h->height, c.height) << c.file;
  }
}

TEST(ImageHeaderTest, RejectsNonImages) {
  for (const char* f :
       {"broken/empty.jpg", "broken/text_file.jpg", "broken/random_bytes.png", "video/clip.mp4"}) {
    Result<ImageHeader> h = ReadImageHeader(kPhotos + f);
    ASSERT_FALSE(h.ok()) << f;
    EXPECT_EQ(h.error().kind, ErrorKind::kUnsupported) << f << ": " << h.error().message;
  }
  EXPECT_EQ(ReadImageHeader(kPhotos + "nope.jpg").error().kind, ErrorKind::kNotFound);
}

TEST(ImageHeaderTest, TruncatedHeadersAreCorruptNeverOutOfBounds) {
  std::ifstream in(kPhotos + "formats/photo.heic", std::ios::binary);
  std::vector<uint8_t> heic((std::istreambuf_iterator<char>(in)), {});
  std::ifstream in2(kPhotos + "real/colorful_cups.jpg", std::ios::binary);
  std::vector<uint8_t> jpg((std::istreambuf_iterator<char>(in2)), {});
  for (const auto* bytes : {&heic, &jpg}) {
    // Every prefix up to 4 KiB either parses or fails cleanly (run under ASan).
    for (size_t n = 0; n < std::min<size_t>(bytes->size(), 4096); n += 7) {
      Result<ImageHeader> h = ParseImageHeader(std::span<const uint8_t>(bytes->data(), n));
      if (h.ok()) {
        EXPECT_GT(h->width, 0);
      }
    }
  }
  Result<ImageHeader> full = ParseImageHeader(jpg);
  ASSERT_TRUE(full.ok());
  EXPECT_EQ(full->width, 1600);
}

TEST(ImageHeaderTest, SniffsRawContainersAndBmp) {
  const uint8_t raf[] = "FUJIFILMCCD-RAW 0201FF383501";
  EXPECT_EQ(SniffImageFormat(raf), ImageFormat::kRawOther);
  const uint8_t orf[] = {'I', 'I', 'R', 'O', 8, 0, 0, 0};
  EXPECT_EQ(SniffImageFormat(orf), ImageFormat::kRawOther);
  const uint8_t cr3[] = {0, 0, 0, 24, 'f', 't', 'y', 'p', 'c', 'r', 'x', ' ',
                         0, 0, 0, 1,  'c', 'r', 'x', ' ', 'i', 's', 'o', 'm'};
  EXPECT_EQ(SniffImageFormat(cr3), ImageFormat::kRawOther);
  uint8_t bmp[26] = {'B', 'M'};
  bmp[14] = 40;
  bmp[18] = 0x20;  // width 800
  bmp[19] = 0x03;
  bmp[22] = 0x9c;  // height -100 (top-down)
  bmp[23] = 0xff;
  bmp[24] = 0xff;
  bmp[25] = 0xff;
  Result<ImageHeader> h = ParseImageHeader(bmp);
  ASSERT_TRUE(h.ok()) << h.error().message;
  EXPECT_EQ(h->width, 800);
  EXPECT_EQ(h->height, 100);
}

}  // namespace
}  // namespace photomap::scan
