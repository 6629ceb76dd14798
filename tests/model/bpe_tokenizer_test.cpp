// CLIP BPE tokenizer: exact ids for every case in the shared fixture, plus edge cases.
#include "model/bpe_tokenizer.h"

#include <gtest/gtest.h>

#include <fstream>
#include <nlohmann/json.hpp>
#include <random>
#include <thread>

#include "model/html_unescape.h"
#include "model/text_normalize.h"

namespace photomap::model {
namespace {

const std::string kTokDir = std::string(PHOTOMAP_SHARED_DIR) + "/fixtures/clip/tokenizer";

nlohmann::json Expected() {
  std::ifstream in(kTokDir + "/expected.json");
  return nlohmann::json::parse(in);
}

std::unique_ptr<BpeTokenizer> Load(int context = 77) {
  BpeOptions o;
  o.context_length = context;
  auto t = BpeTokenizer::FromVocabAndMerges(kTokDir + "/vocab.json", kTokDir + "/merges.txt", o);
  EXPECT_TRUE(t.ok()) << (t.ok() ? "" : t.error().message);
  return t.ok() ? std::move(*t) : nullptr;
}

std::string Ids(const std::vector<int32_t>& v) {
  std::string s;
  for (int32_t x : v) s += std::to_string(x) + " ";
  return s;
}

// Every fixture case: ids, context_77 row and eot position, exactly.
TEST(BpeTokenizerTest, MatchesOpenAiSimpleTokenizerOnEveryFixtureCase) {
  auto tok = Load();
  ASSERT_TRUE(tok);
  nlohmann::json exp = Expected();
  ASSERT_EQ(tok->bos_id(), exp["sot"].get<int>());
  ASSERT_EQ(tok->eos_id(), exp["eot"].get<int>());
  std::vector<std::string> texts;
  for (const auto& c : exp["cases"]) texts.push_back(c["text"].get<std::string>());
  auto batch = tok->EncodeBatch(texts);
  ASSERT_TRUE(batch.ok()) << batch.error().message;
  ASSERT_EQ(batch->length, 77);
  ASSERT_EQ(batch->batch, static_cast<int>(texts.size()));
  for (size_t i = 0; i < texts.size(); ++i) {
    const auto& c = exp["cases"][i];
    auto ids = tok->Encode(texts[i]);
    ASSERT_TRUE(ids.ok());
    EXPECT_EQ(Ids(*ids), Ids(c["ids"].get<std::vector<int32_t>>())) << "text: " << texts[i];
    std::vector<int32_t> row(batch->ids.begin() + i * 77, batch->ids.begin() + (i + 1) * 77);
    EXPECT_EQ(Ids(row), Ids(c["context_77"].get<std::vector<int32_t>>())) << "text: " << texts[i];
    EXPECT_EQ(batch->eos_positions[i], c["eot_position"].get<int>()) << "text: " << texts[i];
    for (int t = 0; t < 77; ++t) {
      EXPECT_EQ(batch->attention_mask[i * 77 + t], t <= c["eot_position"].get<int>() ? 1 : 0);
    }
  }
}

// Edge: the empty string is [sot, eot, 0...] (fixture case; checked standalone too).
TEST(BpeTokenizerTest, EmptyStringIsSotEot) {
  auto tok = Load();
  auto b = tok->EncodeBatch({"", "   \t\n "});
  ASSERT_TRUE(b.ok());
  for (int r = 0; r < 2; ++r) {
    EXPECT_EQ(b->ids[r * 77 + 0], tok->bos_id());
    EXPECT_EQ(b->ids[r * 77 + 1], tok->eos_id());
    EXPECT_EQ(b->ids[r * 77 + 2], 0);
    EXPECT_EQ(b->eos_positions[r], 1);
  }
}

// Edge: truncation keeps eot last at position 76 whatever the length.
TEST(BpeTokenizerTest, LongTextTruncatesWithEotLast) {
  auto tok = Load();
  std::string text;
  for (int i = 0; i < 500; ++i) text += "photo ";
  auto b = tok->EncodeBatch({text});
  ASSERT_TRUE(b.ok());
  EXPECT_EQ(b->ids[76], tok->eos_id());
  EXPECT_EQ(b->eos_positions[0], 76);
  auto ids = tok->Encode(text);
  ASSERT_TRUE(ids.ok());
  EXPECT_EQ(ids->size(), 500u);
  for (int t = 1; t < 76; ++t) EXPECT_EQ(b->ids[t], (*ids)[t - 1]);
}

// Edge: composed and decomposed accents tokenize identically (NFC is part of the contract).
TEST(BpeTokenizerTest, DecomposedAccentsEqualComposed) {
  auto tok = Load();
  auto a = tok->Encode("caf\xC3\xA9 r\xC3\xA9sum\xC3\xA9");     // precomposed é
  auto b = tok->Encode("cafe\xCC\x81 re\xCC\x81sume\xCC\x81");  // e + U+0301
  ASSERT_TRUE(a.ok() && b.ok());
  EXPECT_EQ(Ids(*a), Ids(*b));
}

// Edge: HTML entities are unescaped twice ("&amp;amp;" -> "&"), as simple_tokenizer does.
TEST(BpeTokenizerTest, HtmlEntitiesUnescapedTwice) {
  auto tok = Load();
  auto a = tok->Encode("&amp;amp; &lt;b&gt;");
  auto b = tok->Encode("& <b>");
  ASSERT_TRUE(a.ok() && b.ok());
  EXPECT_EQ(Ids(*a), Ids(*b));
}

// Edge: emoji and CJK go through byte-level BPE without unknown tokens.
TEST(BpeTokenizerTest, EmojiAndCjkUseByteTokens) {
  auto tok = Load();
  auto e = tok->Encode("\xF0\x9F\x90\xB6");  // 🐶: 4 bytes, one pre-split piece
  ASSERT_TRUE(e.ok());
  EXPECT_GE(e->size(), 1u);
  EXPECT_LE(e->size(), 4u);
  auto c = tok->Encode("\xE6\x9D\xB1\xE4\xBA\xAC");  // 東京: letters, one piece
  ASSERT_TRUE(c.ok());
  EXPECT_GE(c->size(), 1u);
}

// Edge: invalid UTF-8 is an InvalidInput error, never a crash.
TEST(BpeTokenizerTest, InvalidUtf8IsAnError) {
  auto tok = Load();
  auto r = tok->EncodeBatch({"ok", "bad \xC3\x28 bytes"});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().kind, ErrorKind::kInvalidInput);
  EXPECT_NE(r.error().message.find("text 1"), std::string::npos) << r.error().message;
}

// The per-word cache is shared between threads; results must not change under contention.
TEST(BpeTokenizerTest, ConcurrentEncodingIsConsistent) {
  auto tok = Load();
  nlohmann::json exp = Expected();
  std::vector<std::string> texts;
  for (const auto& c : exp["cases"]) texts.push_back(c["text"].get<std::string>());
  auto reference = tok->EncodeBatch(texts);
  ASSERT_TRUE(reference.ok());
  std::vector<std::thread> threads;
  std::vector<int> mismatches(4, 0);
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      for (int rep = 0; rep < 20; ++rep) {
        auto b = tok->EncodeBatch(texts);
        if (!b.ok() || b->ids != reference->ids) ++mismatches[t];
      }
    });
  }
  for (auto& th : threads) th.join();
  for (int m : mismatches) EXPECT_EQ(m, 0);
}

TEST(BpeTokenizerTest, CleanTextFollowsPythonRules) {
  // Whitespace: Python's \s includes U+3000 and U+0085 but not U+200B (zero-width space).
  auto a = BpeTokenizer::CleanText(
      "  A\xE3\x80\x80"
      "B\xC2\x85\xE2\x80\x8B"
      "C  ");
  ASSERT_TRUE(a.ok());
  EXPECT_EQ(*a,
            "a b \xE2\x80\x8B"
            "c");
  // str.lower(): İ -> i + U+0307; final sigma in ΟΔΟΣ.
  EXPECT_EQ(PythonLower("\xC4\xB0"), "i\xCC\x87");
  EXPECT_EQ(PythonLower("\xCE\x9F\xCE\x94\xCE\x9F\xCE\xA3"), "\xCE\xBF\xCE\xB4\xCE\xBF\xCF\x82");
  EXPECT_EQ(PythonLower("\xCE\xA3"), "\xCF\x83");  // lone capital sigma is not final
}

// Fuzz-style sweep over random strings built from the characters the cleaning steps care about
// (entities, digits, apostrophes, whitespace, multi-byte and invalid bytes): valid UTF-8 always
// tokenizes into well-formed rows; invalid UTF-8 is always InvalidInput; nothing crashes.
TEST(BpeTokenizerTest, RandomStringsAreHandled) {
  auto tok = Load();
  const std::vector<std::string> atoms = {"&",
                                          "#",
                                          ";",
                                          "x",
                                          "X",
                                          "1",
                                          "9",
                                          "a",
                                          "Z",
                                          "amp",
                                          "lt",
                                          "'",
                                          "s",
                                          " ",
                                          "\t",
                                          "\n",
                                          "\xC2\xA0",
                                          "\xC3\xA9",
                                          "\xCC\x81",
                                          "\xCE\xA3",
                                          "\xC4\xB0",
                                          "\xE6\x9D\xB1",
                                          "\xF0\x9F\x90\xB6",
                                          "<|endoftext|>",
                                          "\xE3\x80\x80",
                                          "!",
                                          "."};
  std::mt19937 rng(42);
  int invalid = 0;
  for (int i = 0; i < 2000; ++i) {
    std::string text;
    const int n = static_cast<int>(rng() % 40);
    for (int k = 0; k < n; ++k) text += atoms[rng() % atoms.size()];
    const bool make_invalid = rng() % 10 == 0;
    if (make_invalid) text.insert(rng() % (text.size() + 1), "\xFF");
    EXPECT_EQ(NormalizeNfc(HtmlUnescape(text)).ok(), !make_invalid) << text;
    auto b = tok->EncodeBatch({text});
    if (make_invalid) {
      ++invalid;
      ASSERT_FALSE(b.ok()) << text;
      EXPECT_EQ(b.error().kind, ErrorKind::kInvalidInput);
      continue;
    }
    ASSERT_TRUE(b.ok()) << text << ": " << b.error().message;
    EXPECT_EQ(b->ids[0], tok->bos_id());
    EXPECT_EQ(b->ids[b->eos_positions[0]], tok->eos_id()) << text;
    for (int32_t id : b->ids) ASSERT_TRUE(id >= 0 && id < 664) << text;
  }
  EXPECT_GT(invalid, 100);
}

TEST(BpeTokenizerTest, MissingFilesAreNotFound) {
  auto t = BpeTokenizer::FromVocabAndMerges("/nonexistent/vocab.json", kTokDir + "/merges.txt",
                                            BpeOptions{});
  ASSERT_FALSE(t.ok());
  EXPECT_EQ(t.error().kind, ErrorKind::kNotFound);
  EXPECT_NE(t.error().message.find("vocab.json"), std::string::npos);
}

}  // namespace
}  // namespace photomap::model
