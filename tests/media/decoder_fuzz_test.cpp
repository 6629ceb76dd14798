// Breaks files on purpose: seeded random byte flips, truncations and oversized header fields
// through the header parser and the decoder. Passing means no crash, no hang, no sanitizer report,
// and every failure is an Error (run under ASan/UBSan by `make test`).
#include <gtest/gtest.h>

#include <random>

#include "media/decoder.h"
#include "media/pixel_testing.h"
#include "scan/image_header.h"

namespace photomap::media {
namespace {

std::vector<uint8_t> Mutate(std::vector<uint8_t> bytes, std::mt19937& rng) {
  std::uniform_int_distribution<int> kind(0, 2);
  switch (kind(rng)) {
    case 0: {  // flip bytes, mostly in the first 2 KiB where headers live
      size_t span = std::min<size_t>(bytes.size(), 2048);
      for (int i = 0; i < 8; ++i) bytes[rng() % span] = static_cast<uint8_t>(rng());
      break;
    }
    case 1:  // truncate
      bytes.resize(rng() % bytes.size());
      break;
    default: {  // set a 4-byte field to a huge value
      size_t at = rng() % std::min<size_t>(bytes.size() - 4, 512);
      for (int i = 0; i < 4; ++i) bytes[at + i] = 0xFF;
      break;
    }
  }
  return bytes;
}

TEST(DecoderFuzzTest, MutatedFilesNeverCrash) {
  std::mt19937 rng(20261127);
  int ok = 0, failed = 0;
  for (const char* file : {"formats/photo_baseline.jpg", "formats/photo_progressive.jpg",
                           "formats/photo.png", "formats/photo_rgba.png", "formats/photo.gif",
                           "exif/orientation_6.jpg", "broken/corrupt_exif.jpg"}) {
    std::vector<uint8_t> original = testing::ReadBytes(testing::Photo(file));
    ASSERT_FALSE(original.empty()) << file;
    for (int i = 0; i < 25; ++i) {
      std::vector<uint8_t> bytes = Mutate(original, rng);
      (void)scan::ParseImageHeader(bytes);
      Result<RgbImage> img = DecodeFromMemory(bytes, 100);
      if (img.ok()) {
        ++ok;
        EXPECT_EQ(img->pixels.size(), size_t(img->width) * img->height * 3) << file;
      } else {
        ++failed;
        EXPECT_FALSE(img.error().message.empty());
      }
    }
  }
  std::printf("mutated inputs: %d decoded, %d refused\n", ok, failed);
  EXPECT_GT(failed, 0);
}

TEST(DecoderFuzzTest, HeaderParserSurvivesEveryFormat) {
  std::mt19937 rng(7);
  for (const char* file : {"formats/photo.heic", "formats/photo.avif", "formats/photo.webp",
                           "formats/photo.tif", "formats/photo_cmyk.jpg", "formats/photo.gif"}) {
    std::vector<uint8_t> original = testing::ReadBytes(testing::Photo(file));
    for (int i = 0; i < 200; ++i) {
      Result<scan::ImageHeader> h = scan::ParseImageHeader(Mutate(original, rng));
      if (h.ok()) {
        EXPECT_GT(h->width, 0) << file;
        EXPECT_GT(h->height, 0) << file;
      }
    }
  }
}

}  // namespace
}  // namespace photomap::media
