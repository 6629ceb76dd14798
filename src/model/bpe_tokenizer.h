// BpeTokenizer: CLIP's byte-level BPE, exactly as OpenAI's clip/simple_tokenizer.py.
//
// Text is cleaned (NFC, html.unescape twice, whitespace collapsed and stripped, Python lower()),
// split with CLIP's \p{L}/\p{N} regex (RE2), each piece mapped through bytes_to_unicode and merged
// by rank with "</w>" marking word ends; rows are [sot] + ids + [eot], truncated so eot stays
// last, zero-padded. Immutable after construction except for a bounded per-word cache guarded by
// a mutex, so EncodeBatch may be called from many threads.
#pragma once

#include <cstdint>
#include <filesystem>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "model/tokenizer.h"

namespace re2 {
class RE2;
}

namespace photomap::model {

struct BpeOptions {
  int context_length = 77;  // row length; clip.tokenize's default
  int32_t pad_id = 0;       // clip.tokenize and open_clip pad with 0 (HF pads with eot; pooling
                            // at eot makes the choice invisible to the embedding)
  size_t word_cache_entries = 1 << 16;  // per-word BPE results kept; the cache is cleared when full
};

class BpeTokenizer final : public Tokenizer {
 public:
  // Builds from a token->id vocabulary and merges in rank order ("a b" pairs).
  // Returns Corrupt when "<|startoftext|>" / "<|endoftext|>" or a merge result is missing from
  // the vocabulary, InvalidInput when context_length < 2.
  static Result<std::unique_ptr<BpeTokenizer>> Create(
      std::unordered_map<std::string, int32_t> vocab, std::vector<std::string> merges,
      const BpeOptions& options);

  // Reads vocab.json + merges.txt (Hugging Face CLIP format; the "#version" line is skipped and,
  // like the reference, at most 48,894 merges are used). Errors name the file.
  static Result<std::unique_ptr<BpeTokenizer>> FromVocabAndMerges(
      const std::filesystem::path& vocab_json, const std::filesystem::path& merges_txt,
      const BpeOptions& options);

  // Reads a Hugging Face tokenizer.json whose model.type is "BPE".
  static Result<std::unique_ptr<BpeTokenizer>> FromTokenizerJson(
      const std::filesystem::path& tokenizer_json, const BpeOptions& options);

  ~BpeTokenizer() override;
  BpeTokenizer(const BpeTokenizer&) = delete;
  BpeTokenizer& operator=(const BpeTokenizer&) = delete;

  // The ids simple_tokenizer.encode(text) returns: no sot/eot, no truncation.
  // Returns InvalidInput when `text` is not valid UTF-8.
  Result<std::vector<int32_t>> Encode(std::string_view text) const;

  // The cleaned text the regex sees (NFC, unescaped twice, collapsed, lower-cased).
  static Result<std::string> CleanText(std::string_view text);

  Result<TokenBatch> EncodeBatch(const std::vector<std::string>& texts) const override;
  int context_length() const override { return options_.context_length; }
  int32_t pad_id() const override { return options_.pad_id; }
  int32_t eos_id() const override { return eot_id_; }
  int32_t bos_id() const override { return sot_id_; }
  std::string name() const override { return "clip-bpe"; }

 private:
  BpeTokenizer() = default;
  // Appends the ids of one pre-split piece (raw UTF-8 bytes of the cleaned text).
  Status AppendWordIds(std::string_view piece, std::vector<int32_t>& ids) const;
  std::vector<std::string> MergeWord(const std::string& mapped) const;

  BpeOptions options_;
  std::unordered_map<std::string, int32_t> vocab_;
  std::unordered_map<std::string, int> merge_ranks_;  // "first second" -> rank
  std::string byte_to_unicode_[256];                  // UTF-8 of bytes_to_unicode()[b]
  std::unique_ptr<re2::RE2> pattern_;
  int32_t sot_id_ = 0;
  int32_t eot_id_ = 0;

  mutable std::mutex cache_mu_;
  mutable std::unordered_map<std::string, std::vector<int32_t>> cache_;  // guarded by cache_mu_
};

}  // namespace photomap::model
