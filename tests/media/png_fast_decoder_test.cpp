// DecodePngFast against the libvips path it replaces (vips_pngload with fail_on=truncated, then
// vips_shrink): identical bytes on generated PNGs (every filter type, 1 to 4 bands, odd sizes,
// shrinks 1 to 7) and on the real photos; the same verdict as libvips on damaged files (every
// truncation, flipped IDAT bytes, bad CRCs, structural oddities); Unsupported for what it leaves
// to libvips. Also the SSE2 unfilter kernels against the scalar reference. Runs under ASan+UBSan.
#include "media/png_fast_decoder.h"

#include <gtest/gtest.h>
#include <libdeflate.h>
#include <vips/vips.h>

#include <algorithm>
#include <array>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <optional>
#include <random>
#include <string>
#include <vector>

#include "media/media_init.h"
#include "media/pixel_testing.h"
#include "media/png_unfilter.h"
#include "media/vips_handle.h"

namespace photomap::media {
namespace {

using Bytes = std::vector<uint8_t>;
using testing::Photo;
using testing::ReadBytes;

constexpr int64_t kMaxPixels = 178'956'970;

// ---- The reference: image_loader.cpp's libvips path for PNG ----

struct VipsDecoded {
  bool ok = false;
  int width = 0, height = 0, bands = 0;
  Bytes pixels;
  std::string error;
};

VipsDecoded VipsDecode(const Bytes& file, int shrink) {
  (void)InitMediaLibraries(nullptr);
  VipsDecoded out;
  VipsImagePtr img, shrunk;
  if (vips_pngload_buffer(const_cast<uint8_t*>(file.data()), file.size(), img.out(), "access",
                          VIPS_ACCESS_SEQUENTIAL, "fail_on", VIPS_FAIL_ON_TRUNCATED,
                          nullptr) != 0) {
    out.error = TakeVipsError();
    return out;
  }
  VipsImage* last = img.get();
  if (shrink > 1) {
    if (vips_shrink(img.get(), shrunk.out(), shrink, shrink, nullptr) != 0) {
      out.error = TakeVipsError();
      return out;
    }
    last = shrunk.get();
  }
  size_t size = 0;
  std::unique_ptr<void, GFreeDeleter> buf(vips_image_write_to_memory(last, &size));
  if (!buf) {
    out.error = TakeVipsError();
    return out;
  }
  out.ok = true;
  out.width = last->Xsize;
  out.height = last->Ysize;
  out.bands = last->Bands;
  const uint8_t* p = static_cast<const uint8_t*>(buf.get());
  out.pixels.assign(p, p + size);
  return out;
}

// Asserts that both decoders succeed with identical bytes; reports the first difference.
void ExpectSameAsVips(const Bytes& file, int shrink, const std::string& label) {
  SCOPED_TRACE(label + " shrink " + std::to_string(shrink));
  VipsDecoded want = VipsDecode(file, shrink);
  ASSERT_TRUE(want.ok) << "libvips: " << want.error;
  Result<PngPixels> got = DecodePngFast(file, shrink, kMaxPixels);
  ASSERT_TRUE(got.ok()) << got.error().message;
  ASSERT_EQ(got->width, want.width);
  ASSERT_EQ(got->height, want.height);
  ASSERT_EQ(got->bands, want.bands);
  ASSERT_EQ(got->pixels.size(), want.pixels.size());
  size_t differ = 0, first = 0;
  for (size_t i = 0; i < want.pixels.size(); ++i) {
    if (got->pixels[i] != want.pixels[i] && differ++ == 0) first = i;
  }
  if (differ > 0) {
    const size_t px = first / static_cast<size_t>(want.bands);
    ADD_FAILURE() << differ << " of " << want.pixels.size() << " samples differ; first at x "
                  << px % static_cast<size_t>(want.width) << " y "
                  << px / static_cast<size_t>(want.width) << " band "
                  << first % static_cast<size_t>(want.bands) << ": " << int{got->pixels[first]}
                  << " vs libvips " << int{want.pixels[first]};
  }
}

// The verdict contract on damaged input, which makes libvips the fallback safe: never crash; fail
// wherever libvips fails; Corrupt only where libvips fails; success only with libvips' pixels
// exactly. Unsupported (defer to libvips) is allowed either way. Returns whether libvips succeeded.
bool ExpectSameVerdictAsVips(const Bytes& file, int shrink, const std::string& label,
                             int* unsupported = nullptr) {
  SCOPED_TRACE(label);
  VipsDecoded want = VipsDecode(file, shrink);
  Result<PngPixels> got = DecodePngFast(file, shrink, kMaxPixels);
  if (got.ok()) {
    EXPECT_TRUE(want.ok) << "libvips fails: " << want.error;
    if (want.ok) {
      EXPECT_TRUE(got->pixels == want.pixels) << "pixels differ from libvips";
    }
  } else if (got.error().kind == ErrorKind::kUnsupported) {
    if (unsupported) ++*unsupported;
  } else {
    // TooLarge and InvalidInput come from mutated IHDR sizes.
    const ErrorKind kind = got.error().kind;
    EXPECT_TRUE(kind == ErrorKind::kCorrupt || kind == ErrorKind::kTooLarge ||
                kind == ErrorKind::kInvalidInput)
        << got.error().message;
    EXPECT_FALSE(want.ok) << "libvips decodes what was called " << got.error().message;
  }
  return want.ok;
}

// ---- PNG building and surgery ----

void PutBe32(Bytes* out, uint32_t v) {
  for (int s = 24; s >= 0; s -= 8) out->push_back(static_cast<uint8_t>(v >> s));
}

uint32_t GetBe32(const Bytes& b, size_t at) {
  return (uint32_t{b[at]} << 24) | (uint32_t{b[at + 1]} << 16) | (uint32_t{b[at + 2]} << 8) |
         b[at + 3];
}

Bytes Chunk(const std::string& type, const Bytes& data, std::optional<uint32_t> crc = {}) {
  Bytes out;
  PutBe32(&out, static_cast<uint32_t>(data.size()));
  out.insert(out.end(), type.begin(), type.end());
  out.insert(out.end(), data.begin(), data.end());
  PutBe32(&out, crc ? *crc : libdeflate_crc32(0, out.data() + 4, data.size() + 4));
  return out;
}

Bytes Ihdr(uint32_t w, uint32_t h, uint8_t depth, uint8_t colour, uint8_t interlace = 0) {
  Bytes d;
  PutBe32(&d, w);
  PutBe32(&d, h);
  d.insert(d.end(), {depth, colour, 0, 0, interlace});
  return Chunk("IHDR", d);
}

Bytes Zlib(const Bytes& raw) {
  libdeflate_compressor* c = libdeflate_alloc_compressor(6);
  Bytes out(libdeflate_zlib_compress_bound(c, raw.size()));
  out.resize(libdeflate_zlib_compress(c, raw.data(), raw.size(), out.data(), out.size()));
  libdeflate_free_compressor(c);
  return out;
}

Bytes Png(std::initializer_list<Bytes> chunks) {
  Bytes out = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'};
  for (const Bytes& c : chunks) out.insert(out.end(), c.begin(), c.end());
  return out;
}

// Filtered rows of random samples, each row with filter type `filter`.
Bytes RandomRows(int w, int h, int bands, uint8_t filter, uint32_t seed) {
  std::mt19937 rng(seed);
  Bytes raw;
  for (int y = 0; y < h; ++y) {
    raw.push_back(filter);
    for (int i = 0; i < w * bands; ++i) raw.push_back(static_cast<uint8_t>(rng()));
  }
  return raw;
}

struct ChunkAt {
  std::string type;
  size_t offset = 0;  // of the length field
  uint32_t length = 0;
};

std::vector<ChunkAt> ListChunks(const Bytes& png) {
  std::vector<ChunkAt> out;
  for (size_t pos = 8; pos + 12 <= png.size();) {
    ChunkAt c{std::string(png.begin() + pos + 4, png.begin() + pos + 8), pos, GetBe32(png, pos)};
    out.push_back(c);
    pos += 12 + size_t{c.length};
  }
  return out;
}

void FixCrc(Bytes* png, const ChunkAt& c) {
  const uint32_t crc = libdeflate_crc32(0, png->data() + c.offset + 4, size_t{c.length} + 4);
  for (int i = 0; i < 4; ++i)
    (*png)[c.offset + 8 + c.length + i] = static_cast<uint8_t>(crc >> (24 - 8 * i));
}

Bytes IdatPayload(const Bytes& png) {
  Bytes z;
  for (const ChunkAt& c : ListChunks(png)) {
    if (c.type == "IDAT")
      z.insert(z.end(), png.begin() + c.offset + 8, png.begin() + c.offset + 8 + c.length);
  }
  return z;
}

// The same image with its IDAT data re-split into chunks of at most `part` bytes.
Bytes Rechunk(const Bytes& png, size_t part) {
  Bytes z = IdatPayload(png);
  std::vector<ChunkAt> chunks = ListChunks(png);
  Bytes out(png.begin(), png.begin() + chunks[1].offset);  // signature and IHDR
  for (size_t at = 0; at < z.size(); at += part) {
    Bytes c = Chunk("IDAT", Bytes(z.begin() + at, z.begin() + std::min(z.size(), at + part)));
    out.insert(out.end(), c.begin(), c.end());
  }
  Bytes iend = Chunk("IEND", {});
  out.insert(out.end(), iend.begin(), iend.end());
  return out;
}

Bytes InsertAfterIhdr(const Bytes& png, const Bytes& chunk) {
  Bytes out = png;
  out.insert(out.begin() + 33, chunk.begin(), chunk.end());
  return out;
}

// Filter type histogram of a PNG's rows (inflated independently of the decoder under test).
std::array<int, 5> FilterHistogram(const Bytes& png, int w, int h, int bands) {
  Bytes z = IdatPayload(png);
  const size_t stride = static_cast<size_t>(w) * bands + 1;
  Bytes raw(stride * h);
  libdeflate_decompressor* d = libdeflate_alloc_decompressor();
  const bool ok = libdeflate_zlib_decompress(d, z.data(), z.size(), raw.data(), raw.size(),
                                             nullptr) == LIBDEFLATE_SUCCESS;
  libdeflate_free_decompressor(d);
  std::array<int, 5> hist{};
  for (int y = 0; ok && y < h; ++y) {
    if (raw[y * stride] < 5) ++hist[raw[y * stride]];
  }
  return hist;
}

// A smooth picture with noise and hard edges, so that libpng's adaptive filtering picks every
// filter type somewhere.
Bytes Picture(int w, int h, int bands, uint32_t seed) {
  std::mt19937 rng(seed);
  Bytes px(static_cast<size_t>(w) * h * bands);
  for (int y = 0; y < h; ++y) {
    for (int x = 0; x < w; ++x) {
      for (int b = 0; b < bands; ++b) {
        int v = (x * 255) / std::max(1, w - 1) * (b % 2 ? 1 : 0) + (y * 7 + b * 40) % 256;
        if ((x / 9 + y / 5) % 3 == 0) v += static_cast<int>(rng() % 32);  // textured patches
        if (x % 17 == 3) v = 255 - v;                                     // hard edges
        px[(static_cast<size_t>(y) * w + x) * bands + b] = static_cast<uint8_t>(v & 255);
      }
    }
  }
  return px;
}

struct SaveOptions {
  int filter = VIPS_FOREIGN_PNG_FILTER_ALL;
  bool interlace = false;
  int bitdepth = 8;
};

Bytes VipsPng(const Bytes& px, int w, int h, int bands, const SaveOptions& o) {
  (void)InitMediaLibraries(nullptr);
  VipsImagePtr img(
      vips_image_new_from_memory(px.data(), px.size(), w, h, bands, VIPS_FORMAT_UCHAR));
  void* buf = nullptr;
  size_t len = 0;
  if (!img ||
      vips_pngsave_buffer(img.get(), &buf, &len, "filter", o.filter, "interlace",
                          o.interlace ? TRUE : FALSE, "bitdepth", o.bitdepth, nullptr) != 0) {
    ADD_FAILURE() << "pngsave: " << TakeVipsError();
    return {};
  }
  std::unique_ptr<void, GFreeDeleter> keep(buf);
  return Bytes(static_cast<uint8_t*>(buf), static_cast<uint8_t*>(buf) + len);
}

Bytes SmallRgbPng() { return VipsPng(Picture(24, 16, 3, 5), 24, 16, 3, {}); }

ErrorKind KindOf(const Result<PngPixels>& r) {
  return r.ok() ? ErrorKind::kInternal : r.error().kind;
}

// ---- Unfilter kernels ----

// The spec, one byte at a time, independent of png_unfilter.cpp.
uint8_t SpecUnfilter(int filter, int a, int b, int c, uint8_t x) {
  int pred = 0;
  if (filter == 1) pred = a;
  if (filter == 2) pred = b;
  if (filter == 3) pred = (a + b) / 2;
  if (filter == 4) {
    int p = a + b - c, pa = std::abs(p - a), pb = std::abs(p - b), pc = std::abs(p - c);
    pred = (pa <= pb && pa <= pc) ? a : (pb <= pc ? b : c);
  }
  return static_cast<uint8_t>(x + pred);
}

TEST(PngUnfilterTest, EveryKernelMatchesTheSpecAndStaysInsideTheRow) {
  std::mt19937 rng(7);
  for (int bpp = 1; bpp <= 4; ++bpp) {
    for (int filter = 0; filter < kPngFilterCount; ++filter) {
      for (size_t pixels = 1; pixels <= 40; ++pixels) {
        const size_t n = pixels * bpp;
        Bytes in(n), prev(n);
        for (auto& v : in) v = static_cast<uint8_t>(rng());
        // Few distinct values in prev make Paeth ties common.
        for (auto& v : prev) v = static_cast<uint8_t>(rng() % 4 * 85);
        Bytes want(n);
        for (size_t i = 0; i < n; ++i) {
          const int a = i >= static_cast<size_t>(bpp) ? want[i - bpp] : 0;
          const int c = i >= static_cast<size_t>(bpp) ? prev[i - bpp] : 0;
          want[i] = SpecUnfilter(filter, a, prev[i], c, in[i]);
        }
        for (UnfilterKernel k : {UnfilterKernel::kBest, UnfilterKernel::kScalar}) {
          Bytes out(n + 8, 0xA5);  // guard bytes after the row
          UnfilterPngRow(static_cast<PngFilter>(filter), bpp, in.data(), prev.data(), out.data(), n,
                         k);
          SCOPED_TRACE("bpp " + std::to_string(bpp) + " filter " + std::to_string(filter) +
                       " pixels " + std::to_string(pixels) +
                       (k == UnfilterKernel::kBest ? " best" : " scalar"));
          EXPECT_TRUE(std::equal(want.begin(), want.end(), out.begin()));
          for (size_t i = n; i < out.size(); ++i) ASSERT_EQ(out[i], 0xA5) << "wrote past the row";
        }
      }
    }
  }
}

TEST(PngUnfilterTest, PaethRowPairMatchesTwoSingleRows) {
  std::mt19937 rng(8);
  for (int bpp = 1; bpp <= 4; ++bpp) {
    for (size_t pixels = 1; pixels <= 40; ++pixels) {
      const size_t n = pixels * bpp;
      Bytes in0(n), in1(n), prev(n);
      for (Bytes* b : {&in0, &in1, &prev}) {
        for (auto& v : *b) v = static_cast<uint8_t>(rng() % 3 * 120 + rng() % 2);
      }
      Bytes want0(n), want1(n);
      UnfilterPngRow(PngFilter::kPaeth, bpp, in0.data(), prev.data(), want0.data(), n,
                     UnfilterKernel::kScalar);
      UnfilterPngRow(PngFilter::kPaeth, bpp, in1.data(), want0.data(), want1.data(), n,
                     UnfilterKernel::kScalar);
      for (UnfilterKernel k : {UnfilterKernel::kBest, UnfilterKernel::kScalar}) {
        SCOPED_TRACE("bpp " + std::to_string(bpp) + " pixels " + std::to_string(pixels));
        Bytes out0(n + 8, 0xA5), out1(n + 8, 0xA5);
        UnfilterPngPaethRowPair(bpp, in0.data(), in1.data(), prev.data(), out0.data(), out1.data(),
                                n, k);
        EXPECT_TRUE(std::equal(want0.begin(), want0.end(), out0.begin()));
        EXPECT_TRUE(std::equal(want1.begin(), want1.end(), out1.begin()));
        for (size_t i = n; i < n + 8; ++i) {
          ASSERT_EQ(out0[i], 0xA5) << "wrote past the row";
          ASSERT_EQ(out1[i], 0xA5) << "wrote past the row";
        }
      }
    }
  }
}

// ---- Pixels: identical to libvips ----

TEST(PngFastDecoderTest, GeneratedImagesMatchLibvipsForEveryFilterBandCountAndShrink) {
  const std::pair<int, int> sizes[] = {{1, 1},    {2, 3},    {37, 23}, {64, 64},
                                       {101, 57}, {13, 200}, {250, 9}};
  const int filters[] = {VIPS_FOREIGN_PNG_FILTER_NONE,  VIPS_FOREIGN_PNG_FILTER_SUB,
                         VIPS_FOREIGN_PNG_FILTER_UP,    VIPS_FOREIGN_PNG_FILTER_AVG,
                         VIPS_FOREIGN_PNG_FILTER_PAETH, VIPS_FOREIGN_PNG_FILTER_ALL};
  for (int bands = 1; bands <= 4; ++bands) {
    std::array<int, 5> seen{};
    std::array<int, 5> seen_mixed{};
    for (auto [w, h] : sizes) {
      const Bytes px = Picture(w, h, bands, static_cast<uint32_t>(w * 31 + h + bands));
      for (int filter : filters) {
        SaveOptions o;
        o.filter = filter;
        const Bytes png = VipsPng(px, w, h, bands, o);
        const std::array<int, 5> hist = FilterHistogram(png, w, h, bands);
        for (int f = 0; f < 5; ++f) {
          seen[f] += hist[f];
          if (filter == VIPS_FOREIGN_PNG_FILTER_ALL) seen_mixed[f] += hist[f];
        }
        const std::string label = std::to_string(w) + "x" + std::to_string(h) + "x" +
                                  std::to_string(bands) + " filter flags " + std::to_string(filter);
        for (int shrink : {1, 2, 3, 4, 7}) {
          if ((2 * w + shrink) / (2 * shrink) == 0 || (2 * h + shrink) / (2 * shrink) == 0) {
            // Nothing would be left: libvips refuses too.
            EXPECT_FALSE(VipsDecode(png, shrink).ok) << label;
            EXPECT_EQ(KindOf(DecodePngFast(png, shrink, kMaxPixels)), ErrorKind::kInvalidInput);
            continue;
          }
          ExpectSameAsVips(png, shrink, label);
        }
      }
    }
    for (int f = 0; f < 5; ++f) {
      EXPECT_GT(seen[f], 20) << "bands " << bands << ": filter type " << f << " barely tested";
    }
    // Adaptive filtering mixes types within one image.
    EXPECT_GE(std::count_if(seen_mixed.begin(), seen_mixed.end(), [](int n) { return n > 0; }), 3)
        << "bands " << bands;
  }
}

TEST(PngFastDecoderTest, RealPhotosMatchLibvips) {
  const char* files[] = {"formats/photo.png",
                         "formats/photo_rgba.png",
                         "invokeai/invokeai_v2_dream_sd-metadata.png",
                         "invokeai/invokeai_v2_list_prompt.png",
                         "invokeai/invokeai_v3.png",
                         "invokeai/invokeai_v5_ref_images.png",
                         "invokeai/invokeai_v5_canvas.png",
                         "invokeai/invokeai_v5_after_idat.png",
                         "invokeai/invokeai_v5_ztxt.png",
                         "invokeai/invokeai_v5_itxt.png",
                         "broken/png_named.jpg"};
  for (const char* name : files) {
    const Bytes png = ReadBytes(Photo(name));
    ASSERT_FALSE(png.empty()) << name;
    Result<PngFastInfo> info = ReadPngFastInfo(png, kMaxPixels);
    ASSERT_TRUE(info.ok()) << name << ": " << info.error().message;
    // The model path's shrink (short side >= 224), and a spread around it.
    const int model_shrink =
        static_cast<int>(std::max<int64_t>(1, std::min(info->width, info->height) / 224));
    for (int shrink : {model_shrink, 1, 2, 3, 4, 7}) ExpectSameAsVips(png, shrink, name);
    Result<PngPixels> full = DecodePngFast(png, 1, kMaxPixels);
    ASSERT_TRUE(full.ok());
    EXPECT_EQ(full->stored_width, info->width);
    EXPECT_EQ(full->stored_height, info->height);
  }
}

TEST(PngFastDecoderTest, ARowOfOnePixelAndAColumnOfOnePixelWork) {
  for (auto [w, h] : {std::pair{1, 9}, std::pair{9, 1}}) {
    for (int bands = 1; bands <= 4; ++bands) {
      const Bytes png =
          Png({Ihdr(w, h, 8,
                    bands == 1   ? 0
                    : bands == 2 ? 4
                    : bands == 3 ? 2
                                 : 6),
               Chunk("IDAT", Zlib(RandomRows(w, h, bands, 4, 11))), Chunk("IEND", {})});
      ExpectSameAsVips(png, 1, "paeth " + std::to_string(w) + "x" + std::to_string(h));
    }
  }
}

// ---- Left to libvips ----

TEST(PngFastDecoderTest, LayoutsItDoesNotHandleAreUnsupportedAndLibvipsReadsThem) {
  const Bytes px = Picture(30, 20, 1, 3);
  const Bytes rgb = SmallRgbPng();
  SaveOptions interlaced;
  interlaced.interlace = true;
  std::vector<std::pair<std::string, Bytes>> cases = {
      {"16-bit photo", ReadBytes(Photo("formats/photo_16bit.png"))},
      {"interlaced", VipsPng(px, 30, 20, 1, interlaced)},
      {"tRNS", InsertAfterIhdr(rgb, Chunk("tRNS", {0, 1, 0, 2, 0, 3}))},
      {"acTL (APNG)", InsertAfterIhdr(rgb, Chunk("acTL", {0, 0, 0, 1, 0, 0, 0, 0}))},
      {"palette", Png({Ihdr(4, 2, 8, 3), Chunk("PLTE", {0, 0, 0, 255, 255, 255}),
                       Chunk("IDAT", Zlib({0, 0, 1, 0, 1, 0, 1, 1, 0, 1})), Chunk("IEND", {})})},
      {"16-bit RGB",
       Png({Ihdr(2, 2, 16, 2), Chunk("IDAT", Zlib(RandomRows(2, 2, 6, 0, 1))), Chunk("IEND", {})})},
      // The zlib stream holds one row more than the image: libpng warns, libvips decodes.
      {"too much data",
       Png({Ihdr(5, 4, 8, 0), Chunk("IDAT", Zlib(RandomRows(5, 5, 1, 0, 2))), Chunk("IEND", {})})},
  };
  for (int depth : {1, 2, 4}) {
    SaveOptions o;
    o.bitdepth = depth;
    cases.push_back({"grey bit depth " + std::to_string(depth), VipsPng(px, 30, 20, 1, o)});
  }
  for (const auto& [name, png] : cases) {
    SCOPED_TRACE(name);
    ASSERT_FALSE(png.empty());
    Result<PngPixels> r = DecodePngFast(png, 1, kMaxPixels);
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().kind, ErrorKind::kUnsupported) << r.error().message;
    EXPECT_TRUE(VipsDecode(png, 1).ok) << "the fallback must be able to read it";
    if (name != "too much data") {  // the header alone shows the others
      EXPECT_EQ(ReadPngFastInfo(png, kMaxPixels).error().kind, ErrorKind::kUnsupported);
    }
  }
}

// ---- Limits ----

TEST(PngFastDecoderTest, BombsAreRefusedBeforeAllocating) {
  const Bytes bomb = ReadBytes(Photo("broken/bomb_50000x50000.png"));
  ASSERT_FALSE(bomb.empty());
  EXPECT_EQ(KindOf(DecodePngFast(bomb, 1, kMaxPixels)), ErrorKind::kTooLarge);
  EXPECT_EQ(ReadPngFastInfo(bomb, kMaxPixels).error().kind, ErrorKind::kTooLarge);
  // Allowed by a huge limit, its 150 KB of image data still cannot hold 7.5 GB: refused before
  // the inflate buffer exists (ASan would abort on such an allocation).
  Result<PngPixels> r = DecodePngFast(bomb, 1, int64_t{1} << 40);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().kind, ErrorKind::kCorrupt) << r.error().message;
  // And a tiny limit refuses a normal photo.
  EXPECT_EQ(KindOf(DecodePngFast(SmallRgbPng(), 1, 100)), ErrorKind::kTooLarge);
}

TEST(PngFastDecoderTest, ShrinkOutsideItsRangeIsInvalidInput) {
  const Bytes png = SmallRgbPng();
  for (int shrink : {0, -1, 65536, 1 << 30}) {
    EXPECT_EQ(KindOf(DecodePngFast(png, shrink, kMaxPixels)), ErrorKind::kInvalidInput) << shrink;
  }
}

// ---- Damage: the same verdict as libvips ----

TEST(PngFastDecoderTest, EveryTruncationGetsTheVerdictOfLibvips) {
  for (size_t part : {size_t{0}, size_t{97}}) {  // one IDAT, then many
    const Bytes full = part == 0 ? SmallRgbPng() : Rechunk(SmallRgbPng(), part);
    int vips_ok = 0, unsupported = 0;
    for (size_t len = 0; len < full.size(); ++len) {
      const Bytes cut(full.begin(), full.begin() + len);
      vips_ok += ExpectSameVerdictAsVips(
          cut, 2, "cut at " + std::to_string(len) + " of " + std::to_string(full.size()),
          &unsupported);
      Result<PngPixels> r = DecodePngFast(cut, 2, kMaxPixels);
      EXPECT_EQ(r.ok(), len + 12 >= full.size()) << len;  // only cuts inside IEND decode
    }
    EXPECT_EQ(vips_ok, 12);
    EXPECT_EQ(unsupported, 0);
  }
}

TEST(PngFastDecoderTest, FlippedImageDataBytesGetTheVerdictOfLibvips) {
  const Bytes png = Rechunk(SmallRgbPng(), 200);
  std::mt19937 rng(20240601);
  int failures = 0, flips = 0, unsupported = 0;
  for (const ChunkAt& c : ListChunks(png)) {
    if (c.type != "IDAT") continue;
    for (uint32_t i = 0; i < c.length; ++i) {
      Bytes bad = png;
      bad[c.offset + 8 + i] ^= static_cast<uint8_t>(1 + rng() % 255);
      // With its CRC stale, the chunk is refused as damaged.
      EXPECT_EQ(KindOf(DecodePngFast(bad, 1, kMaxPixels)), ErrorKind::kCorrupt);
      // With the CRC fixed, the damage reaches the inflater and the row filters.
      FixCrc(&bad, c);
      ++flips;
      failures += !ExpectSameVerdictAsVips(
          bad, 1, "byte " + std::to_string(i) + " of IDAT at " + std::to_string(c.offset),
          &unsupported);
    }
  }
  // A flip that makes the stream inflate past the image's size is left to libvips, which reads
  // the first rows and ignores the excess (about a fifth of these flips; 120 of 517 when written).
  std::printf("%d flips: libvips failed %d, fast path deferred %d\n", flips, failures, unsupported);
  EXPECT_GT(failures, flips / 3);
  EXPECT_LT(unsupported, flips / 3);
}

TEST(PngFastDecoderTest, RandomMutationsNeverCrashAndAgreeWithLibvips) {
  const Bytes png = Rechunk(VipsPng(Picture(40, 30, 4, 9), 40, 30, 4, {}), 300);
  std::mt19937 rng(20261127);
  for (int round = 0; round < 1500; ++round) {
    Bytes bad = png;
    for (int k = 0, n = 1 + static_cast<int>(rng() % 4); k < n; ++k) {
      bad[rng() % bad.size()] = static_cast<uint8_t>(rng());
    }
    if (rng() % 2) {  // fix every CRC, so the damage gets past the chunk checks
      for (const ChunkAt& c : ListChunks(bad)) {
        if (c.offset + 12 + size_t{c.length} <= bad.size()) FixCrc(&bad, c);
      }
    }
    const int shrink = 1 + static_cast<int>(rng() % 3);
    ExpectSameVerdictAsVips(bad, shrink, "mutation round " + std::to_string(round));
  }
}

// Structural cases, each with the verdict libvips 8.14 (libpng 1.6) gives it.
TEST(PngFastDecoderTest, StructuralOdditiesGetTheVerdictOfLibvips) {
  const int w = 37, h = 23;
  const Bytes rows = RandomRows(w, h, 3, 4, 3);
  const Bytes z = Zlib(rows);
  const Bytes ihdr = Ihdr(w, h, 8, 2), iend = Chunk("IEND", {}), idat = Chunk("IDAT", z);
  const Bytes text = Chunk("tEXt", {'k', 0, 'v'});
  auto with_filter = [&](int row, uint8_t f) {
    Bytes r = rows;
    r[static_cast<size_t>(row) * (w * 3 + 1)] = f;
    return Chunk("IDAT", Zlib(r));
  };
  Bytes bad_adler = z;
  bad_adler.back() ^= 1;
  Bytes no_iend_tail = Png({ihdr, idat, iend});
  no_iend_tail.resize(no_iend_tail.size() - 6);
  struct Case {
    std::string name;
    Bytes png;
    std::optional<ErrorKind> want;  // nullopt: decodes
  };
  const Case cases[] = {
      {"plain", Png({ihdr, idat, iend}), {}},
      {"no IEND", Png({ihdr, idat}), {}},
      {"cut inside IEND", no_iend_tail, {}},
      {"garbage after the image data", Png({ihdr, idat, {0, 0, 0, 9, 'j', 'u'}}), {}},
      {"bad Adler-32", Png({ihdr, Chunk("IDAT", bad_adler), iend}), {}},
      {"no Adler-32", Png({ihdr, Chunk("IDAT", Bytes(z.begin(), z.end() - 4)), iend}),
       ErrorKind::kCorrupt},
      {"bytes after the zlib stream",
       Png({ihdr,
            Chunk("IDAT",
                  [&] {
                    Bytes t = z;
                    t.insert(t.end(), 6, 0);
                    return t;
                  }()),
            iend}),
       {}},
      {"too little data",
       Png({ihdr, Chunk("IDAT", Zlib(Bytes(rows.begin(), rows.end() - 5))), iend}),
       ErrorKind::kCorrupt},
      {"empty zlib stream", Png({ihdr, Chunk("IDAT", Zlib({})), iend}), ErrorKind::kCorrupt},
      {"no IDAT", Png({ihdr, iend}), ErrorKind::kCorrupt},
      {"IDAT split by tEXt",
       Png({ihdr, Chunk("IDAT", Bytes(z.begin(), z.begin() + 100)), text,
            Chunk("IDAT", Bytes(z.begin() + 100, z.end())), iend}),
       ErrorKind::kCorrupt},
      {"empty IDATs around", Png({ihdr, Chunk("IDAT", {}), idat, Chunk("IDAT", {}), iend}), {}},
      {"damaged IDAT after the stream ended",
       Png({ihdr, idat, Chunk("IDAT", {1, 2}, 5), iend}),
       {}},
      {"bad filter type in row 5", Png({ihdr, with_filter(5, 9), iend}), ErrorKind::kCorrupt},
      {"bad filter type in the last row", Png({ihdr, with_filter(h - 1, 5), iend}),
       ErrorKind::kCorrupt},
      {"bad IHDR CRC", Png({Chunk("IHDR", Bytes(ihdr.begin() + 8, ihdr.end() - 4), 1), idat, iend}),
       ErrorKind::kCorrupt},
      {"bad IDAT CRC", Png({ihdr, Chunk("IDAT", z, 7), iend}), ErrorKind::kCorrupt},
      {"bad tEXt CRC", Png({ihdr, Chunk("tEXt", {'k', 0, 'v'}, 3), idat, iend}), {}},
      {"tEXt before IHDR", Png({text, ihdr, idat, iend}), ErrorKind::kCorrupt},
      {"invalid chunk name", Png({ihdr, Chunk("te1t", {1}), idat, iend}), ErrorKind::kCorrupt},
      {"unknown critical chunk", Png({ihdr, Chunk("ABCD", {1}), idat, iend}), ErrorKind::kCorrupt},
      {"suggested palette in RGB", Png({ihdr, Chunk("PLTE", {1, 2, 3}), idat, iend}), {}},
      {"preset dictionary",
       Png({ihdr,
            Chunk("IDAT",
                  [&] {
                    Bytes t = z;
                    t[1] = 0xBB;  // FDICT set, check bits still valid
                    return t;
                  }()),
            iend}),
       ErrorKind::kCorrupt},
      {"second IHDR", Png({ihdr, ihdr, idat, iend}), ErrorKind::kCorrupt},
      {"zero width", Png({Ihdr(0, h, 8, 2), idat, iend}), ErrorKind::kCorrupt},
      {"RGB at bit depth 4", Png({Ihdr(w, h, 4, 2), idat, iend}), ErrorKind::kCorrupt},
      {"not a PNG", ReadBytes(Photo("broken/random_bytes.png")), ErrorKind::kCorrupt},
      {"cut in half", ReadBytes(Photo("broken/truncated_50pct.png")), ErrorKind::kCorrupt},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.name);
    Result<PngPixels> got = DecodePngFast(c.png, 1, kMaxPixels);
    VipsDecoded want = VipsDecode(c.png, 1);
    EXPECT_EQ(want.ok, !c.want.has_value()) << "libvips: " << want.error;
    if (c.want) {
      ASSERT_FALSE(got.ok());
      EXPECT_EQ(got.error().kind, *c.want) << got.error().message;
      std::printf("%-40s %s\n", c.name.c_str(), got.error().message.c_str());
    } else {
      ExpectSameAsVips(c.png, 1, c.name);
    }
  }
}

}  // namespace
}  // namespace photomap::media
