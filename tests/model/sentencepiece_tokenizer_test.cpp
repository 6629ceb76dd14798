// SentencePiece tokenizer (SigLIP rules) on a tiny model trained for the test
// (fixtures/tiny_spiece.model; see fixtures/README.md).
#include "model/sentencepiece_tokenizer.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include <unistd.h>

#include "model/tokenizer.h"

namespace photomap::model {
namespace {

namespace fs = std::filesystem;
const fs::path kModel = fs::path(PHOTOMAP_SOURCE_DIR) / "tests/model/fixtures/tiny_spiece.model";

// A model directory laid out like a Hugging Face SigLIP download.
class SiglipDir : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           ("photomap_spm_" + std::to_string(::getpid()) + "_" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::create_directories(dir_);
    fs::copy_file(kModel, dir_ / "spiece.model", fs::copy_options::overwrite_existing);
  }
  void TearDown() override { fs::remove_all(dir_); }
  void WriteConfig(const std::string& json) {
    std::ofstream(dir_ / "tokenizer_config.json") << json;
  }
  fs::path dir_;
};

std::vector<int32_t> Row(const TokenBatch& b, int r) {
  return std::vector<int32_t>(b.ids.begin() + r * b.length, b.ids.begin() + (r + 1) * b.length);
}

TEST_F(SiglipDir, SiglipRulesLowerStripPunctuationEosAndPad) {
  WriteConfig(R"({"tokenizer_class":"SiglipTokenizer","model_max_length":64,
                  "eos_token":"</s>","pad_token":"</s>","unk_token":"<unk>"})");
  auto tok = LoadTokenizer(dir_);
  ASSERT_TRUE(tok.ok()) << tok.error().message;
  EXPECT_EQ((*tok)->name(), "sentencepiece");
  EXPECT_EQ((*tok)->context_length(), 64);
  EXPECT_EQ((*tok)->eos_id(), 1);
  EXPECT_EQ((*tok)->pad_id(), 1);  // SiglipTokenizer pads with </s>
  EXPECT_EQ((*tok)->bos_id(), -1);
  auto b = (*tok)->EncodeBatch({"a photo of a dog", "A Photo, of a DOG!!", ""});
  ASSERT_TRUE(b.ok()) << b.error().message;
  // Ids of "a photo of a dog" from this model (spm_encode), then </s>, then </s> padding.
  const std::vector<int32_t> expect_text = {5, 22, 4, 9, 5, 25, 40, 1};
  std::vector<int32_t> row0 = Row(*b, 0);
  EXPECT_EQ(std::vector<int32_t>(row0.begin(), row0.begin() + 8), expect_text);
  for (int t = 8; t < 64; ++t) EXPECT_EQ(row0[t], 1) << t;
  EXPECT_EQ(b->eos_positions[0], 7);
  EXPECT_EQ(b->attention_mask[7], 1);
  EXPECT_EQ(b->attention_mask[8], 0);
  // Lower-casing and punctuation removal make the second text identical to the first.
  EXPECT_EQ(Row(*b, 1), row0);
  // The empty text is just </s>.
  EXPECT_EQ(b->ids[2 * 64], 1);
  EXPECT_EQ(b->eos_positions[2], 0);
}

// SiglipTokenizer replaces U+2581 in the text with spaces and prefixes one U+2581, with the
// model's dummy prefix switched off: a leading space survives as its own piece.
TEST_F(SiglipDir, UnderlineCharactersFollowSiglipTokenizer) {
  auto tok = LoadTokenizer(dir_);
  ASSERT_TRUE(tok.ok()) << tok.error().message;
  auto b =
      (*tok)->EncodeBatch({"\xE2\x96\x81"
                           "a photo"});
  ASSERT_TRUE(b.ok());
  const std::vector<int32_t> expect = {4, 5, 22, 1};  // [▁] [▁a] [▁photo] </s>
  EXPECT_EQ(std::vector<int32_t>(b->ids.begin(), b->ids.begin() + 4), expect);
}

TEST_F(SiglipDir, TruncationKeepsEosLast) {
  WriteConfig(R"({"tokenizer_class":"SiglipTokenizer","model_max_length":16})");
  auto tok = LoadTokenizer(dir_);
  ASSERT_TRUE(tok.ok()) << tok.error().message;
  std::string text;
  for (int i = 0; i < 50; ++i) text += "two cats sleeping on a red sofa ";
  auto b = (*tok)->EncodeBatch({text});
  ASSERT_TRUE(b.ok());
  ASSERT_EQ(b->length, 16);
  EXPECT_EQ(b->ids[15], 1);
  EXPECT_EQ(b->eos_positions[0], 15);
  for (int t = 0; t < 15; ++t) EXPECT_NE(b->ids[t], 1);
}

TEST_F(SiglipDir, DefaultsWithoutConfigAreSiglip64) {
  auto tok = LoadTokenizer(dir_);
  ASSERT_TRUE(tok.ok()) << tok.error().message;
  EXPECT_EQ((*tok)->context_length(), 64);
  EXPECT_EQ((*tok)->pad_id(), 1);
}

TEST_F(SiglipDir, GemmaStyleConfigAddsBosAndKeepsCase) {
  WriteConfig(R"({"tokenizer_class":"GemmaTokenizer","model_max_length":64,
                  "add_bos_token":true,"add_eos_token":false,
                  "bos_token":"<bos>","eos_token":"</s>","pad_token":"<pad>"})");
  auto tok = LoadTokenizer(dir_);
  ASSERT_TRUE(tok.ok()) << tok.error().message;
  EXPECT_EQ((*tok)->bos_id(), 3);
  EXPECT_EQ((*tok)->pad_id(), 0);
  auto b = (*tok)->EncodeBatch({"a photo of a dog"});
  ASSERT_TRUE(b.ok());
  const std::vector<int32_t> expect = {3, 5, 22, 4, 9, 5, 25, 40, 0};
  EXPECT_EQ(std::vector<int32_t>(b->ids.begin(), b->ids.begin() + 9), expect);
  EXPECT_EQ(b->eos_positions[0], 7);
}

TEST_F(SiglipDir, ConfigNamingUnknownSpecialTokenIsCorrupt) {
  WriteConfig(R"({"tokenizer_class":"SiglipTokenizer","eos_token":"<nope>"})");
  auto tok = LoadTokenizer(dir_);
  ASSERT_FALSE(tok.ok());
  EXPECT_EQ(tok.error().kind, ErrorKind::kCorrupt);
  EXPECT_NE(tok.error().message.find("<nope>"), std::string::npos);
}

TEST_F(SiglipDir, GarbageModelFileIsCorrupt) {
  std::ofstream(dir_ / "spiece.model", std::ios::trunc) << "not a model";
  auto tok = LoadTokenizer(dir_);
  ASSERT_FALSE(tok.ok());
  EXPECT_EQ(tok.error().kind, ErrorKind::kCorrupt);
}

TEST(TokenizerLoaderTest, EmptyDirectoryNamesExpectedFiles) {
  fs::path dir = fs::temp_directory_path() / ("photomap_tok_empty_" + std::to_string(::getpid()));
  fs::create_directories(dir);
  auto tok = LoadTokenizer(dir);
  fs::remove_all(dir);
  ASSERT_FALSE(tok.ok());
  EXPECT_EQ(tok.error().kind, ErrorKind::kNotFound);
  EXPECT_NE(tok.error().message.find("merges.txt"), std::string::npos);
  EXPECT_NE(tok.error().message.find("spiece.model"), std::string::npos);
}

// The e2e fixture directory (vocab.json + merges.txt + config.json, no tokenizer_config.json)
// loads as CLIP BPE with 77 positions from config.json.
TEST(TokenizerLoaderTest, E2eClipDirectoryLoadsBpe) {
  auto tok = LoadTokenizer(fs::path(PHOTOMAP_SHARED_DIR) / "fixtures/clip/e2e_clip");
  ASSERT_TRUE(tok.ok()) << tok.error().message;
  EXPECT_EQ((*tok)->name(), "clip-bpe");
  EXPECT_EQ((*tok)->context_length(), 77);
  EXPECT_EQ((*tok)->bos_id(), 662);
  EXPECT_EQ((*tok)->eos_id(), 663);
}

TEST(TokenizerLoaderTest, TokenizerJsonBpe) {
  fs::path dir = fs::temp_directory_path() / ("photomap_tok_json_" + std::to_string(::getpid()));
  fs::create_directories(dir);
  std::ofstream(dir / "tokenizer.json") << R"({"model":{"type":"BPE",
      "vocab":{"a":0,"b":1,"a</w>":2,"b</w>":3,"ab</w>":4,"<|startoftext|>":5,"<|endoftext|>":6},
      "merges":[["a","b</w>"]]}})";
  auto tok = LoadTokenizer(dir);
  fs::remove_all(dir);
  ASSERT_TRUE(tok.ok()) << tok.error().message;
  auto b = (*tok)->EncodeBatch({"AB a"});
  ASSERT_TRUE(b.ok());
  EXPECT_EQ(b->ids[0], 5);
  EXPECT_EQ(b->ids[1], 4);
  EXPECT_EQ(b->ids[2], 2);
  EXPECT_EQ(b->ids[3], 6);
}

}  // namespace
}  // namespace photomap::model
