#include "media/png_text_reader.h"

#include <gtest/gtest.h>
#include <zlib.h>
#include <nlohmann/json.hpp>

#include <string>

#include "media/meta_test_paths.h"

namespace photomap::media {
namespace {

using testing::Photo;

// --- helpers that build PNGs in memory -------------------------------------------------------

std::string Be32(uint32_t v) {
  return {static_cast<char>(v >> 24), static_cast<char>(v >> 16), static_cast<char>(v >> 8),
          static_cast<char>(v)};
}

std::string Chunk(const std::string& type, const std::string& data, bool bad_crc = false) {
  const std::string body = type + data;
  uint32_t crc =
      static_cast<uint32_t>(crc32(0, reinterpret_cast<const Bytef*>(body.data()), body.size()));
  if (bad_crc) crc ^= 1;
  return Be32(static_cast<uint32_t>(data.size())) + body + Be32(crc);
}

std::string Deflate(const std::string& in) {
  uLongf size = compressBound(in.size());
  std::string out(size, '\0');
  compress2(reinterpret_cast<Bytef*>(out.data()), &size, reinterpret_cast<const Bytef*>(in.data()),
            in.size(), 9);
  out.resize(size);
  return out;
}

const std::string kSignature("\x89PNG\r\n\x1a\n", 8);
const std::string kIhdr = Chunk("IHDR", Be32(1) + Be32(1) + std::string("\x08\x02\x00\x00\x00", 5));
const std::string kIdat = Chunk("IDAT", Deflate(std::string("\x00\x00\x00\x00", 4)));
const std::string kIend = Chunk("IEND", "");

std::string Png(const std::string& middle) { return kSignature + kIhdr + middle + kIend; }

std::string TextOf(const PngTextResult& r, const std::string& keyword) {
  for (const auto& c : r.chunks) {
    if (c.keyword == keyword) return c.text;
  }
  return "";
}

PngTextResult MustWalk(const std::string& relative) {
  Result<PngTextResult> r = ReadPngText(Photo(relative));
  EXPECT_TRUE(r.ok()) << relative << ": " << (r.ok() ? "" : r.error().message);
  return r.ok() ? std::move(r).value() : PngTextResult{};
}

// --- the shared InvokeAI files ---------------------------------------------------------------

TEST(PngTextReaderTest, TextBeforeIdat) {
  const PngTextResult r = MustWalk("invokeai/invokeai_v5_ref_images.png");
  EXPECT_TRUE(r.complete);
  EXPECT_TRUE(r.warnings.empty());
  ASSERT_EQ(r.chunks.size(), 2u);
  EXPECT_EQ(r.chunks[0].keyword, "invokeai_metadata");
  EXPECT_EQ(r.chunks[1].keyword, "invokeai_graph");
  EXPECT_EQ(r.chunks[0].kind, PngTextKind::kText);
  EXPECT_FALSE(r.chunks[0].after_image_data);
}

TEST(PngTextReaderTest, TextAfterIdatIsFound) {
  const PngTextResult r = MustWalk("invokeai/invokeai_v5_after_idat.png");
  ASSERT_EQ(r.chunks.size(), 1u);
  EXPECT_EQ(r.chunks[0].keyword, "invokeai_metadata");
  EXPECT_TRUE(r.chunks[0].after_image_data);
  EXPECT_EQ(r.chunks[0].file_offset, 115512u);  // where the README says it was spliced in
  const std::string reference =
      TextOf(MustWalk("invokeai/invokeai_v5_ref_images.png"), "invokeai_metadata");
  EXPECT_EQ(r.chunks[0].text, reference);
}

TEST(PngTextReaderTest, CompressedAndInternationalText) {
  const std::string reference =
      TextOf(MustWalk("invokeai/invokeai_v5_ref_images.png"), "invokeai_metadata");
  const PngTextResult z = MustWalk("invokeai/invokeai_v5_ztxt.png");
  ASSERT_EQ(z.chunks.size(), 1u);
  EXPECT_EQ(z.chunks[0].kind, PngTextKind::kZText);
  EXPECT_EQ(z.chunks[0].text, reference);
  const PngTextResult i = MustWalk("invokeai/invokeai_v5_itxt.png");
  ASSERT_EQ(i.chunks.size(), 1u);
  EXPECT_EQ(i.chunks[0].kind, PngTextKind::kIText);
  EXPECT_EQ(i.chunks[0].language, "");
  EXPECT_EQ(i.chunks[0].text, reference);
  EXPECT_TRUE(nlohmann::json::accept(i.chunks[0].text));
}

TEST(PngTextReaderTest, InvokeV2ChunkOrder) {
  const PngTextResult r = MustWalk("invokeai/invokeai_v2_dream_sd-metadata.png");
  ASSERT_EQ(r.chunks.size(), 2u);
  EXPECT_EQ(r.chunks[0].keyword, "Dream");
  EXPECT_EQ(r.chunks[0].text,
            "a mountain landscape -s 20 -S 1234 -W 768 -H 512 -C 7.5 -A k_euler_a");
  EXPECT_EQ(r.chunks[1].keyword, "sd-metadata");
}

TEST(PngTextReaderTest, PngWithoutTextAndNonPngs) {
  const PngTextResult plain = MustWalk("formats/photo.png");
  EXPECT_TRUE(plain.chunks.empty());
  EXPECT_TRUE(plain.complete);
  EXPECT_EQ(ReadPngText(Photo("broken/random_bytes.png")).error().kind, ErrorKind::kUnsupported);
  EXPECT_EQ(ReadPngText(Photo("broken/empty.jpg")).error().kind, ErrorKind::kUnsupported);
  EXPECT_EQ(ReadPngText(Photo("real/building1.jpeg")).error().kind, ErrorKind::kUnsupported);
  EXPECT_EQ(ReadPngText(Photo("none.png")).error().kind, ErrorKind::kNotFound);
}

TEST(PngTextReaderTest, TruncatedPngGivesWarningNotError) {
  const PngTextResult r = MustWalk("broken/truncated_50pct.png");
  EXPECT_FALSE(r.complete);
  ASSERT_FALSE(r.warnings.empty());
  EXPECT_NE(r.warnings[0].find("past the end"), std::string::npos) << r.warnings[0];
}

TEST(PngTextReaderTest, BombHeaderIsOnlyWalked) {
  const PngTextResult r = MustWalk("broken/bomb_50000x50000.png");
  EXPECT_TRUE(r.complete);  // 225 bytes of valid chunks; nothing is decoded
}

// --- generated PNGs: every damage path ---------------------------------------------------------

TEST(PngTextReaderTest, BadCrcChunkIsSkipped) {
  const std::string png = Png(Chunk("tEXt", std::string("bad\0x", 5), true) +
                              Chunk("tEXt", std::string("good\0y", 6)) + kIdat);
  Result<PngTextResult> r = ReadPngTextFromMemory(png);
  ASSERT_TRUE(r.ok());
  ASSERT_EQ(r->chunks.size(), 1u);
  EXPECT_EQ(r->chunks[0].keyword, "good");
  ASSERT_EQ(r->warnings.size(), 1u);
  EXPECT_NE(r->warnings[0].find("bad CRC"), std::string::npos);
}

TEST(PngTextReaderTest, Latin1TextBecomesUtf8) {
  const std::string png = Png(Chunk("tEXt", std::string("Comment\0caf\xe9", 12)) + kIdat);
  Result<PngTextResult> r = ReadPngTextFromMemory(png);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(TextOf(*r, "Comment"), "caf\xc3\xa9");
}

TEST(PngTextReaderTest, CompressedITxtAndZTxtBomb) {
  const std::string itxt = std::string(
                               "k\0\x01\x00"
                               "en\0"
                               "tk\0",
                               10) +
                           Deflate("hello");
  PngTextLimits limits;
  limits.max_inflated_bytes = 1 << 20;
  const std::string bomb = std::string("z\0\0", 3) + Deflate(std::string(8 << 20, 'a'));
  const std::string png = Png(Chunk("iTXt", itxt) + Chunk("zTXt", bomb) + kIdat);
  Result<PngTextResult> r = ReadPngTextFromMemory(png, limits);
  ASSERT_TRUE(r.ok());
  ASSERT_EQ(r->chunks.size(), 1u);
  EXPECT_EQ(r->chunks[0].text, "hello");
  EXPECT_EQ(r->chunks[0].language, "en");
  EXPECT_EQ(r->chunks[0].translated_keyword, "tk");
  ASSERT_EQ(r->warnings.size(), 1u);
  EXPECT_NE(r->warnings[0].find("exceeds"), std::string::npos) << r->warnings[0];
}

TEST(PngTextReaderTest, MalformedChunksAreSkipped) {
  const std::string png = Png(
      Chunk("tEXt", "no-nul-separator") + Chunk("tEXt", std::string("\0x", 2)) +
      Chunk("zTXt", std::string("k\0\x05zz", 5)) + Chunk("zTXt", std::string("k\0\0garbage", 10)) +
      Chunk("iTXt", std::string("k\0\0\0en", 6)) + kIdat);
  Result<PngTextResult> r = ReadPngTextFromMemory(png);
  ASSERT_TRUE(r.ok());
  EXPECT_TRUE(r->chunks.empty());
  EXPECT_EQ(r->warnings.size(), 5u);
  EXPECT_TRUE(r->complete);
}

TEST(PngTextReaderTest, ImpossibleLengthsStopTheWalk) {
  std::string huge = kSignature + kIhdr + Be32(0xFFFFFFF0u) + "tEXt" + "xx";
  Result<PngTextResult> r = ReadPngTextFromMemory(huge);
  ASSERT_TRUE(r.ok());
  EXPECT_FALSE(r->complete);
  ASSERT_EQ(r->warnings.size(), 1u);
  EXPECT_NE(r->warnings[0].find("invalid"), std::string::npos);

  std::string past_end = kSignature + kIhdr + Be32(1000) + "tEXt" + "short";
  r = ReadPngTextFromMemory(past_end);
  ASSERT_TRUE(r.ok());
  EXPECT_FALSE(r->complete);
}

TEST(PngTextReaderTest, ChunkCountAndSizeCaps) {
  std::string many;
  for (int i = 0; i < 50; ++i) many += Chunk("abCd", "");
  PngTextLimits limits;
  limits.max_chunks = 20;
  Result<PngTextResult> r = ReadPngTextFromMemory(Png(many), limits);
  ASSERT_TRUE(r.ok());
  EXPECT_FALSE(r->complete);
  ASSERT_FALSE(r->warnings.empty());

  limits = PngTextLimits{};
  limits.max_chunk_bytes = 16;
  r = ReadPngTextFromMemory(Png(Chunk("tEXt", std::string("key\0", 4) + std::string(100, 'x'))),
                            limits);
  ASSERT_TRUE(r.ok());
  EXPECT_TRUE(r->chunks.empty());
  EXPECT_TRUE(r->complete);
  EXPECT_EQ(r->warnings.size(), 1u);
}

}  // namespace
}  // namespace photomap::media
