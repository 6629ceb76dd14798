// Camera RAW through LibRaw. No RAW file ships in ../shared/photos, so the tests write small but
// real DNGs: a 16-bit RGGB Bayer mosaic (flat colour patches), optionally with a JPEG preview in
// IFD0 and the raw data in a SubIFD, as cameras and Adobe's converter lay them out.
#include "media/raw_decoder.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <cstring>
#include <filesystem>
#include <fstream>

#include "media/decoder.h"
#include "media/pixel_testing.h"

namespace photomap::media {
namespace {

class TiffWriter {
 public:
  struct Entry {
    uint16_t tag, type;
    uint32_t count;
    std::vector<uint8_t> data;  // little-endian payload
  };
  static Entry Short(uint16_t tag, std::vector<uint16_t> v) {
    Entry e{tag, 3, static_cast<uint32_t>(v.size()), {}};
    for (uint16_t x : v) e.data.insert(e.data.end(), {uint8_t(x), uint8_t(x >> 8)});
    return e;
  }
  static Entry Long(uint16_t tag, std::vector<uint32_t> v) {
    Entry e{tag, 4, static_cast<uint32_t>(v.size()), {}};
    for (uint32_t x : v) {
      e.data.insert(e.data.end(),
                    {uint8_t(x), uint8_t(x >> 8), uint8_t(x >> 16), uint8_t(x >> 24)});
    }
    return e;
  }
  static Entry Bytes(uint16_t tag, std::vector<uint8_t> v, uint16_t type = 1) {
    return Entry{tag, type, static_cast<uint32_t>(v.size()), std::move(v)};
  }
  static Entry Ascii(uint16_t tag, const std::string& s) {
    std::vector<uint8_t> v(s.begin(), s.end());
    v.push_back(0);
    return Entry{tag, 2, static_cast<uint32_t>(v.size()), v};
  }
  static Entry SRational(uint16_t tag, std::vector<std::pair<int32_t, int32_t>> v) {
    Entry e{tag, 10, static_cast<uint32_t>(v.size()), {}};
    for (auto [n, d] : v) {
      for (int32_t x : {n, d}) {
        uint32_t u = static_cast<uint32_t>(x);
        e.data.insert(e.data.end(),
                      {uint8_t(u), uint8_t(u >> 8), uint8_t(u >> 16), uint8_t(u >> 24)});
      }
    }
    return e;
  }

  // Appends raw bytes to the file body; returns their offset.
  uint32_t Blob(const std::vector<uint8_t>& b) {
    uint32_t off = static_cast<uint32_t>(out_.size());
    out_.insert(out_.end(), b.begin(), b.end());
    if (out_.size() % 2) out_.push_back(0);
    return off;
  }
  // Writes an IFD (entries sorted by tag); returns its offset. `next` links the IFD chain.
  uint32_t Ifd(std::vector<Entry> entries, uint32_t next = 0) {
    std::sort(entries.begin(), entries.end(), [](auto& a, auto& b) { return a.tag < b.tag; });
    std::vector<uint32_t> value_offsets;
    for (auto& e : entries) value_offsets.push_back(e.data.size() > 4 ? Blob(e.data) : 0);
    uint32_t off = static_cast<uint32_t>(out_.size());
    Put16(static_cast<uint16_t>(entries.size()));
    for (size_t i = 0; i < entries.size(); ++i) {
      const Entry& e = entries[i];
      Put16(e.tag);
      Put16(e.type);
      Put32(e.count);
      if (e.data.size() > 4) {
        Put32(value_offsets[i]);
      } else {
        std::vector<uint8_t> v = e.data;
        v.resize(4, 0);
        out_.insert(out_.end(), v.begin(), v.end());
      }
    }
    Put32(next);
    return off;
  }
  std::vector<uint8_t> Finish(uint32_t first_ifd) {
    std::memcpy(&out_[4], &first_ifd, 4);
    return out_;
  }
  TiffWriter() : out_{'I', 'I', 42, 0, 0, 0, 0, 0} {}

 private:
  void Put16(uint16_t v) { out_.insert(out_.end(), {uint8_t(v), uint8_t(v >> 8)}); }
  void Put32(uint32_t v) {
    Put16(uint16_t(v));
    Put16(uint16_t(v >> 16));
  }
  std::vector<uint8_t> out_;
};

// A W x H RGGB mosaic: left half red, right half blue.
std::vector<uint8_t> Mosaic(int w, int h) {
  std::vector<uint8_t> data(size_t(w) * h * 2);
  for (int y = 0; y < h; ++y) {
    for (int x = 0; x < w; ++x) {
      bool red_side = x < w / 2;
      int site = (y % 2) * 2 + (x % 2);  // 0 R, 1 G, 2 G, 3 B
      uint16_t v = 0;
      if (site == 0) v = red_side ? 60000 : 3000;
      if (site == 3) v = red_side ? 3000 : 60000;
      if (site == 1 || site == 2) v = 3000;
      data[(size_t(y) * w + x) * 2] = uint8_t(v);
      data[(size_t(y) * w + x) * 2 + 1] = uint8_t(v >> 8);
    }
  }
  return data;
}

std::vector<TiffWriter::Entry> RawTags(int w, int h, uint32_t strip) {
  using T = TiffWriter;
  return {T::Long(254, {0}),
          T::Long(256, {uint32_t(w)}),
          T::Long(257, {uint32_t(h)}),
          T::Short(258, {16}),
          T::Short(259, {1}),
          T::Short(262, {32803}),
          T::Long(273, {strip}),
          T::Short(277, {1}),
          T::Long(278, {uint32_t(h)}),
          T::Long(279, {uint32_t(w * h * 2)}),
          T::Short(284, {1}),
          T::Short(33421, {2, 2}),
          T::Bytes(33422, {0, 1, 1, 2}),
          T::Long(50717, {65535})};
}

std::vector<TiffWriter::Entry> CameraTags(int orientation) {
  using T = TiffWriter;
  return {
      T::Ascii(271, "Photomap"),
      T::Ascii(272, "Synthetic DNG"),
      T::Short(274, {uint16_t(orientation)}),
      T::Bytes(50706, {1, 4, 0, 0}),
      T::Ascii(50708, "Photomap Synthetic DNG"),
      T::SRational(50721, {{1, 1}, {0, 1}, {0, 1}, {0, 1}, {1, 1}, {0, 1}, {0, 1}, {0, 1}, {1, 1}}),
      T::Short(50778, {21})};
}

// A DNG holding only the mosaic in IFD0.
std::vector<uint8_t> PlainDng(int w, int h, int orientation) {
  TiffWriter t;
  uint32_t strip = t.Blob(Mosaic(w, h));
  auto tags = RawTags(w, h, strip);
  for (auto& e : CameraTags(orientation)) tags.push_back(e);
  return t.Finish(t.Ifd(tags));
}

// A DNG with a JPEG preview in IFD0 (NewSubFileType 1) and the mosaic in a SubIFD.
std::vector<uint8_t> DngWithPreview(int w, int h, const std::vector<uint8_t>& jpeg, int pw,
                                    int ph) {
  using T = TiffWriter;
  TiffWriter t;
  uint32_t strip = t.Blob(Mosaic(w, h));
  uint32_t sub = t.Ifd(RawTags(w, h, strip));
  uint32_t jpeg_off = t.Blob(jpeg);
  std::vector<T::Entry> tags = {T::Long(254, {1}),
                                T::Long(256, {uint32_t(pw)}),
                                T::Long(257, {uint32_t(ph)}),
                                T::Short(258, {8, 8, 8}),
                                T::Short(259, {7}),
                                T::Short(262, {6}),
                                T::Long(273, {jpeg_off}),
                                T::Short(277, {3}),
                                T::Long(278, {uint32_t(ph)}),
                                T::Long(279, {uint32_t(jpeg.size())}),
                                T::Long(330, {sub})};
  for (auto& e : CameraTags(1)) tags.push_back(e);
  return t.Finish(t.Ifd(tags));
}

// Removes this process's scratch directory when the test binary exits (ctest runs each test
// in its own process).
struct ScratchCleanup {
  ~ScratchCleanup() {
    std::error_code ec;
    std::filesystem::remove_all("/tmp/photomap_raw_test_" + std::to_string(getpid()), ec);
  }
} scratch_cleanup;

std::string WriteTemp(const std::vector<uint8_t>& bytes, const std::string& name) {
  std::string dir = "/tmp/photomap_raw_test_" + std::to_string(getpid());
  std::filesystem::create_directories(dir);
  std::string path = dir + "/" + name;
  std::ofstream(path, std::ios::binary)
      .write(reinterpret_cast<const char*>(bytes.data()),
             static_cast<std::streamsize>(bytes.size()));
  return path;
}

TEST(RawDecoderTest, DevelopsAMosaicAtHalfSize) {
  std::string path = WriteTemp(PlainDng(256, 128, 1), "plain.dng");
  Result<RawImage> raw = DecodeRawFile(path, 0, DecodeLimits{});
  ASSERT_TRUE(raw.ok()) << raw.error().message;
  ASSERT_TRUE(raw->jpeg_preview.empty());
  EXPECT_EQ(raw->developed.width, 128);
  EXPECT_EQ(raw->developed.height, 64);
  // Through the public decoder: left half reddish, right half bluish (not a black mosaic).
  Result<RgbImage> img = DecodeImage(path);
  ASSERT_TRUE(img.ok()) << img.error().message;
  const uint8_t* left = &img->pixels[(32 * img->width + 16) * 3];
  const uint8_t* right = &img->pixels[(32 * img->width + img->width - 16) * 3];
  std::printf("left %d,%d,%d right %d,%d,%d\n", left[0], left[1], left[2], right[0], right[1],
              right[2]);
  EXPECT_GT(left[0], left[2] + 40);
  EXPECT_GT(right[2], right[0] + 40);
}

TEST(RawDecoderTest, AppliesOrientation) {
  std::string path = WriteTemp(PlainDng(256, 128, 6), "rot6.dng");
  Result<RgbImage> img = DecodeImage(path);
  ASSERT_TRUE(img.ok()) << img.error().message;
  EXPECT_EQ(img->width, 64);
  EXPECT_EQ(img->height, 128);
}

TEST(RawDecoderTest, UsesTheEmbeddedPreviewWhenLargeEnough) {
  std::vector<uint8_t> jpeg = testing::ReadBytes(testing::Photo("real/building1.jpeg"));  // 512x384
  std::string path = WriteTemp(DngWithPreview(256, 128, jpeg, 512, 384), "preview.dng");
  Result<RawImage> raw = DecodeRawFile(path, 300, DecodeLimits{});
  ASSERT_TRUE(raw.ok()) << raw.error().message;
  EXPECT_EQ(raw->jpeg_preview.size(), jpeg.size());
  Result<RgbImage> model = DecodeForModel(path, 300);
  ASSERT_TRUE(model.ok()) << model.error().message;
  EXPECT_EQ(model->width, 512);
  EXPECT_EQ(model->height, 384);
  // Too small a preview for the request: develop the sensor data instead.
  Result<RawImage> developed = DecodeRawFile(path, 1000, DecodeLimits{});
  ASSERT_TRUE(developed.ok()) << developed.error().message;
  EXPECT_TRUE(developed->jpeg_preview.empty());
  EXPECT_EQ(developed->developed.width, 128);
}

TEST(RawDecoderTest, RejectsGarbageAndHugeSensors) {
  std::string junk = WriteTemp(std::vector<uint8_t>(5000, 7), "junk.nef");
  Result<RgbImage> r = DecodeImage(junk);
  ASSERT_FALSE(r.ok());
  std::printf("%s\n", r.error().message.c_str());
  DecodeLimits tiny;
  tiny.max_pixels = 1000;
  std::string path = WriteTemp(PlainDng(256, 128, 1), "big.dng");
  Result<RawImage> big = DecodeRawFile(path, 0, tiny);
  ASSERT_FALSE(big.ok());
  EXPECT_EQ(big.error().kind, ErrorKind::kTooLarge);
  // A JPEG that merely carries a RAW name still decodes by content.
  std::string named =
      WriteTemp(testing::ReadBytes(testing::Photo("real/cat_chelsea.jpg")), "cat.cr2");
  Result<RgbImage> cat = DecodeImage(named);
  ASSERT_TRUE(cat.ok()) << cat.error().message;
  EXPECT_EQ(cat->width, 451);
}

}  // namespace
}  // namespace photomap::media
