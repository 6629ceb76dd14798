// The eighth-scale JPEG decoder against libjpeg's own 1/8 decode (through libvips), on JPEGs
// that libjpeg-turbo and libvips write here from a real photograph, and on the test photos.
#include "media/jpeg_eighth_decoder.h"

#include <gtest/gtest.h>
#include <turbojpeg.h>
#include <vips/vips.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <random>
#include <string>
#include <vector>

#include "media/jpeg_huffman.h"
#include "media/pixel_testing.h"

namespace photomap::media {
namespace {

using testing::Photo;
using testing::ReadBytes;

constexpr int64_t kNoLimit = int64_t{1} << 40;

struct Pixels {
  int width = 0, height = 0, bands = 0;
  std::vector<uint8_t> px;
};

// A crop of a real photograph (2560x1600) as RGB.
const Pixels& Source() {
  static const Pixels src = [] {
    EXPECT_EQ(InitMediaLibraries(nullptr).ok(), true);
    VipsImage* img = nullptr;
    std::string path = Photo("real/forest_path_2560x1600.jpg");
    EXPECT_EQ(vips_jpegload(path.c_str(), &img, nullptr), 0);
    Pixels p;
    p.width = img->Xsize;
    p.height = img->Ysize;
    p.bands = img->Bands;
    size_t size = 0;
    void* mem = vips_image_write_to_memory(img, &size);
    p.px.assign(static_cast<uint8_t*>(mem), static_cast<uint8_t*>(mem) + size);
    g_free(mem);
    g_object_unref(img);
    return p;
  }();
  return src;
}

Pixels Crop(int w, int h) {
  const Pixels& s = Source();
  Pixels p{w, h, 3, std::vector<uint8_t>(static_cast<size_t>(w) * h * 3)};
  for (int y = 0; y < h; ++y) {
    std::copy_n(&s.px[(static_cast<size_t>(y % s.height) * s.width) * 3],
                static_cast<size_t>(std::min(w, s.width)) * 3,
                &p.px[static_cast<size_t>(y) * w * 3]);
  }
  return p;
}

// libjpeg-turbo's encoder: any subsampling, baseline or progressive.
std::vector<uint8_t> EncodeTurbo(const Pixels& p, int subsampling, int quality, bool progressive) {
  tjhandle tj = tjInitCompress();
  unsigned char* out = nullptr;
  unsigned long size = 0;
  const int flags = progressive ? TJFLAG_PROGRESSIVE : 0;
  EXPECT_EQ(tjCompress2(tj, p.px.data(), p.width, 0, p.height, TJPF_RGB, &out, &size, subsampling,
                        quality, flags),
            0)
      << tjGetErrorStr2(tj);
  std::vector<uint8_t> bytes(out, out + size);
  tjFree(out);
  tjDestroy(tj);
  return bytes;
}

// libvips' encoder: restart intervals and optimised tables.
std::vector<uint8_t> EncodeVips(const Pixels& p, bool subsample, int restart_interval,
                                bool optimize, bool interlace) {
  VipsImage* img = vips_image_new_from_memory(p.px.data(), p.px.size(), p.width, p.height, p.bands,
                                              VIPS_FORMAT_UCHAR);
  void* buf = nullptr;
  size_t size = 0;
  EXPECT_EQ(vips_jpegsave_buffer(img, &buf, &size, "Q", 92, "subsample_mode",
                                 subsample ? VIPS_FOREIGN_SUBSAMPLE_ON : VIPS_FOREIGN_SUBSAMPLE_OFF,
                                 "restart_interval", restart_interval, "optimize_coding", optimize,
                                 "interlace", interlace, nullptr),
            0);
  std::vector<uint8_t> bytes(static_cast<uint8_t*>(buf), static_cast<uint8_t*>(buf) + size);
  g_free(buf);
  g_object_unref(img);
  return bytes;
}

// What libjpeg gives at scale 1/8, through libvips (the path the decoder replaces).
Pixels LibjpegEighth(const std::vector<uint8_t>& jpeg) {
  VipsImage* img = nullptr;
  Pixels p;
  if (vips_jpegload_buffer(const_cast<uint8_t*>(jpeg.data()), jpeg.size(), &img, "shrink", 8,
                           nullptr) != 0) {
    ADD_FAILURE() << vips_error_buffer();
    vips_error_clear();
    return p;
  }
  size_t size = 0;
  void* mem = vips_image_write_to_memory(img, &size);
  p.width = img->Xsize;
  p.height = img->Ysize;
  p.bands = img->Bands;
  p.px.assign(static_cast<uint8_t*>(mem), static_cast<uint8_t*>(mem) + size);
  g_free(mem);
  g_object_unref(img);
  return p;
}

struct Difference {
  int max = 0;
  double mean = 0;
};

Difference Compare(const EighthScaleJpeg& ours, const Pixels& ref) {
  EXPECT_EQ(ours.width, ref.width);
  EXPECT_EQ(ours.height, ref.height);
  EXPECT_EQ(ours.bands, ref.bands);
  Difference d;
  if (ours.pixels.size() != ref.px.size()) return {999, 999};
  double sum = 0;
  for (size_t i = 0; i < ref.px.size(); ++i) {
    const int diff = std::abs(ours.pixels[i] - ref.px[i]);
    d.max = std::max(d.max, diff);
    sum += diff;
  }
  d.mean = sum / static_cast<double>(std::max<size_t>(1, ref.px.size()));
  return d;
}

TEST(JpegEighthDecoderTest, FullResolutionComponentsEqualLibjpegBitForBit) {
  const int sizes[][2] = {{640, 480}, {643, 481}, {1000, 777}, {72, 40}, {17, 9}, {8, 8}};
  for (const auto& s : sizes) {
    const Pixels crop = Crop(s[0], s[1]);
    for (int sampling : {TJSAMP_444, TJSAMP_GRAY}) {
      for (bool progressive : {false, true}) {
        SCOPED_TRACE(std::to_string(s[0]) + "x" + std::to_string(s[1]) + " sampling " +
                     std::to_string(sampling) + (progressive ? " progressive" : " baseline"));
        const std::vector<uint8_t> jpeg = EncodeTurbo(crop, sampling, 90, progressive);
        Result<EighthScaleJpeg> ours = DecodeJpegEighth(jpeg, kNoLimit);
        ASSERT_TRUE(ours.ok()) << ours.error().message;
        Difference d = Compare(*ours, LibjpegEighth(jpeg));
        EXPECT_EQ(d.max, 0);
      }
    }
  }
}

TEST(JpegEighthDecoderTest, ImagesSmallerThanABlockGiveOnePixel) {
  // libvips refuses to shrink these by 8, so there is no reference; the size rule still holds.
  Result<EighthScaleJpeg> r =
      DecodeJpegEighth(EncodeTurbo(Crop(5, 3), TJSAMP_420, 90, false), kNoLimit);
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->width, 1);
  EXPECT_EQ(r->height, 1);
  EXPECT_EQ(r->pixels.size(), 3u);
}

TEST(JpegEighthDecoderTest, RestartIntervalsAndOptimisedTablesDecodeExactly) {
  const Pixels crop = Crop(1003, 605);
  for (int restart : {0, 1, 7, 64}) {
    for (bool optimize : {false, true}) {
      for (bool interlace : {false, true}) {
        SCOPED_TRACE("restart " + std::to_string(restart) + (optimize ? " optimised" : "") +
                     (interlace ? " progressive" : ""));
        const std::vector<uint8_t> jpeg = EncodeVips(crop, false, restart, optimize, interlace);
        Result<EighthScaleJpeg> ours = DecodeJpegEighth(jpeg, kNoLimit);
        ASSERT_TRUE(ours.ok()) << ours.error().message;
        EXPECT_EQ(Compare(*ours, LibjpegEighth(jpeg)).max, 0);
      }
    }
  }
}

TEST(JpegEighthDecoderTest, SubsampledChromaMatchesLibjpeg) {
  // 4:2:2 and 4:4:0: libjpeg repeats chroma samples at 1/8, and so does the decoder, exactly.
  // 4:2:0 baseline: libjpeg's 2x2 inverse DCT of the chroma blocks, to within rounding.
  // 4:2:0 progressive: the chroma DC grid interpolated (AC scans are not read); measured on this
  // colourful crop: max 39, mean 1.21.
  const Pixels crop = Crop(1280, 960);
  struct Case {
    int sampling;
    bool progressive;
    int max_diff;
    double max_mean;
  };
  for (const Case& c : {Case{TJSAMP_422, false, 0, 0}, Case{TJSAMP_422, true, 0, 0},
                        Case{TJSAMP_440, false, 0, 0}, Case{TJSAMP_440, true, 0, 0},
                        Case{TJSAMP_420, false, 2, 0.3}, Case{TJSAMP_420, true, 60, 1.5}}) {
    SCOPED_TRACE("sampling " + std::to_string(c.sampling) +
                 (c.progressive ? " progressive" : " baseline"));
    const std::vector<uint8_t> jpeg = EncodeTurbo(crop, c.sampling, 90, c.progressive);
    Result<EighthScaleJpeg> ours = DecodeJpegEighth(jpeg, kNoLimit);
    ASSERT_TRUE(ours.ok()) << ours.error().message;
    Difference d = Compare(*ours, LibjpegEighth(jpeg));
    EXPECT_LE(d.max, c.max_diff);
    EXPECT_LE(d.mean, c.max_mean);
    std::printf("sampling %d%s: max %d, mean %.3f\n", c.sampling,
                c.progressive ? " progressive" : "", d.max, d.mean);
  }
}

TEST(JpegEighthDecoderTest, TestPhotosMatchLibjpeg) {
  int decoded = 0;
  for (const char* dir : {"real", "exif", "formats"}) {
    for (const auto& entry : std::filesystem::directory_iterator(Photo(dir))) {
      const std::string ext = entry.path().extension().string();
      if (ext != ".jpg" && ext != ".jpeg" && ext != ".JPG") continue;
      SCOPED_TRACE(entry.path().string());
      const std::vector<uint8_t> jpeg = ReadBytes(entry.path().string());
      Result<EighthScaleJpeg> ours = DecodeJpegEighth(jpeg, kNoLimit);
      if (!ours.ok()) {
        EXPECT_EQ(ours.error().kind, ErrorKind::kUnsupported) << ours.error().message;
        continue;
      }
      Difference d = Compare(*ours, LibjpegEighth(jpeg));
      EXPECT_LE(d.max, 2);  // none of them is progressive 4:2:0
      ++decoded;
    }
  }
  EXPECT_GE(decoded, 30);
}

// Replaces the first byte sequence `from` in `bytes` by `to` (same length).
bool Patch(std::vector<uint8_t>& bytes, std::vector<uint8_t> from, std::vector<uint8_t> to) {
  auto it = std::search(bytes.begin(), bytes.end(), from.begin(), from.end());
  if (it == bytes.end()) return false;
  std::copy(to.begin(), to.end(), it);
  return true;
}

TEST(JpegEighthDecoderTest, KindsItDoesNotHandleAreUnsupported) {
  const std::vector<uint8_t> baseline = EncodeTurbo(Crop(64, 64), TJSAMP_420, 90, false);
  // SOF0 (FF C0, length 17, 8-bit) patched to arithmetic coding, to 12-bit samples, lossless.
  for (auto [from, to] : std::vector<std::pair<std::vector<uint8_t>, std::vector<uint8_t>>>{
           {{0xFF, 0xC0, 0x00, 0x11, 0x08}, {0xFF, 0xC9, 0x00, 0x11, 0x08}},
           {{0xFF, 0xC0, 0x00, 0x11, 0x08}, {0xFF, 0xC0, 0x00, 0x11, 0x0C}},
           {{0xFF, 0xC0, 0x00, 0x11, 0x08}, {0xFF, 0xC3, 0x00, 0x11, 0x08}}}) {
    std::vector<uint8_t> jpeg = baseline;
    ASSERT_TRUE(Patch(jpeg, from, to));
    Result<EighthScaleJpeg> r = DecodeJpegEighth(jpeg, kNoLimit);
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().kind, ErrorKind::kUnsupported) << r.error().message;
  }
  // An Adobe marker saying the components are RGB, not YCbCr.
  std::vector<uint8_t> rgb = baseline;
  const uint8_t adobe[] = {0xFF, 0xEE, 0x00, 0x0E, 'A',  'd',  'o',  'b',
                           'e',  0x00, 0x64, 0x00, 0x00, 0x00, 0x00, 0x00};
  rgb.insert(rgb.begin() + 2, std::begin(adobe), std::end(adobe));
  Result<EighthScaleJpeg> r = DecodeJpegEighth(rgb, kNoLimit);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().kind, ErrorKind::kUnsupported);
  // CMYK, as libvips writes it.
  VipsImage* cmyk = nullptr;
  std::vector<uint8_t> four(64 * 64 * 4, 100);
  VipsImage* raw =
      vips_image_new_from_memory(four.data(), four.size(), 64, 64, 4, VIPS_FORMAT_UCHAR);
  ASSERT_EQ(vips_copy(raw, &cmyk, "interpretation", VIPS_INTERPRETATION_CMYK, nullptr), 0);
  void* buf = nullptr;
  size_t size = 0;
  ASSERT_EQ(vips_jpegsave_buffer(cmyk, &buf, &size, nullptr), 0);
  std::vector<uint8_t> cmyk_jpeg(static_cast<uint8_t*>(buf), static_cast<uint8_t*>(buf) + size);
  g_free(buf);
  g_object_unref(cmyk);
  g_object_unref(raw);
  r = DecodeJpegEighth(cmyk_jpeg, kNoLimit);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().kind, ErrorKind::kUnsupported);
}

TEST(JpegEighthDecoderTest, PixelLimitIsCheckedBeforeDecoding) {
  const std::vector<uint8_t> jpeg = EncodeTurbo(Crop(640, 480), TJSAMP_420, 90, false);
  Result<EighthScaleJpeg> r = DecodeJpegEighth(jpeg, 640 * 480 - 1);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().kind, ErrorKind::kTooLarge);
  EXPECT_TRUE(DecodeJpegEighth(jpeg, 640 * 480).ok());
}

TEST(JpegEighthDecoderTest, DamagedFilesGiveErrorsNeverCrashes) {
  for (bool progressive : {false, true}) {
    const std::vector<uint8_t> jpeg =
        EncodeVips(Crop(96, 80), true, progressive ? 0 : 3, false, progressive);
    // Every truncation: the end-of-image marker is missing, so each is an error.
    for (size_t n = 0; n + 2 <= jpeg.size(); ++n) {
      std::vector<uint8_t> cut(jpeg.begin(), jpeg.begin() + static_cast<std::ptrdiff_t>(n));
      Result<EighthScaleJpeg> r = DecodeJpegEighth(cut, kNoLimit);
      ASSERT_FALSE(r.ok()) << "truncated to " << n;
      EXPECT_TRUE(r.error().kind == ErrorKind::kCorrupt ||
                  r.error().kind == ErrorKind::kUnsupported)
          << r.error().message;
    }
    // Flipped bytes anywhere: decoded or refused, never a crash or an out-of-bounds read.
    std::mt19937 rng(7);
    for (int i = 0; i < 3000; ++i) {
      std::vector<uint8_t> bad = jpeg;
      for (int j = 0; j < 1 + i % 4; ++j) {
        bad[rng() % bad.size()] ^= static_cast<uint8_t>(1 + rng() % 255);
      }
      Result<EighthScaleJpeg> r = DecodeJpegEighth(bad, kNoLimit);
      if (r.ok()) {
        EXPECT_EQ(r->pixels.size(), static_cast<size_t>(r->width * r->height * r->bands));
      }
    }
  }
  EXPECT_FALSE(DecodeJpegEighth({}, kNoLimit).ok());
  const uint8_t text[] = "this is not a JPEG at all";
  EXPECT_FALSE(DecodeJpegEighth(text, kNoLimit).ok());
}

TEST(JpegEighthDecoderTest, HuffmanTablesAreValidated) {
  uint8_t counts[17] = {};
  counts[1] = 2;  // both 1-bit codes: a full code space, allowed
  const uint8_t two[] = {0x00, 0x01};
  EXPECT_TRUE(JpegHuffmanTable::Build(counts, two).ok());
  counts[1] = 3;  // three 1-bit codes cannot exist
  const uint8_t three[] = {0x00, 0x01, 0x02};
  Result<JpegHuffmanTable> overfull = JpegHuffmanTable::Build(counts, three);
  ASSERT_FALSE(overfull.ok());
  EXPECT_EQ(overfull.error().kind, ErrorKind::kCorrupt);
  counts[1] = 1;
  counts[16] = 1;  // symbol count must match
  EXPECT_FALSE(JpegHuffmanTable::Build(counts, three).ok());
}

}  // namespace
}  // namespace photomap::media
