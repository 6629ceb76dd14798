// SentencePieceTokenizer: SigLIP-family text tokenization on Debian's libsentencepiece.
//
// Mirrors transformers' SiglipTokenizer (slow, the one SigLIP checkpoints ship): lower-case,
// strip ASCII punctuation (string.punctuation), collapse whitespace and strip, SentencePiece
// encode, append </s>, truncate to max_length keeping </s>, pad with the pad id (</s>) to exactly
// max_length (processor(padding="max_length", truncation=True)). Gemma-style models (SigLIP 2)
// use their tokenizer_config flags instead: no canonicalisation, <bos> when add_bos_token.
// Immutable after loading; EncodeBatch is thread-safe (SentencePiece encoding is const).
#pragma once

#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "model/tokenizer.h"

namespace sentencepiece {
class SentencePieceProcessor;
}

namespace photomap::model {

struct SentencePieceOptions {
  int context_length = 64;   // SigLIP's model_max_length
  bool lower_case = true;    // SiglipTokenizer do_lower_case
  bool canonicalize = true;  // SiglipTokenizer canonicalize_text: drop ASCII punctuation, squash
  bool add_bos = false;      // Gemma tokenizers add <bos>; SiglipTokenizer does not
  bool add_eos = true;       // SiglipTokenizer appends </s>
  std::string pad_token = "</s>";  // SiglipTokenizer's pad token; Gemma uses "<pad>"
  std::string eos_token = "</s>";
  std::string bos_token = "<bos>";
};

class SentencePieceTokenizer final : public Tokenizer {
 public:
  // Loads a serialized SentencePiece model (spiece.model / tokenizer.model).
  // Returns NotFound if the file is missing, Corrupt if libsentencepiece rejects it or a needed
  // special token is not in its vocabulary, InvalidInput when context_length < 1.
  static Result<std::unique_ptr<SentencePieceTokenizer>> Load(
      const std::filesystem::path& model_file, const SentencePieceOptions& options);

  ~SentencePieceTokenizer() override;
  SentencePieceTokenizer(const SentencePieceTokenizer&) = delete;
  SentencePieceTokenizer& operator=(const SentencePieceTokenizer&) = delete;

  // Ids for one text, without bos/eos, truncation or padding. InvalidInput for bad UTF-8.
  Result<std::vector<int32_t>> Encode(const std::string& text) const;

  // SiglipTokenizer.canonicalize_text after lower-casing (per the options): the string handed
  // to SentencePiece.
  std::string CleanText(const std::string& text) const;

  Result<TokenBatch> EncodeBatch(const std::vector<std::string>& texts) const override;
  int context_length() const override { return options_.context_length; }
  int32_t pad_id() const override { return pad_id_; }
  int32_t eos_id() const override { return eos_id_; }
  int32_t bos_id() const override { return options_.add_bos ? bos_id_ : -1; }
  std::string name() const override { return "sentencepiece"; }

 private:
  SentencePieceTokenizer();

  SentencePieceOptions options_;
  std::unique_ptr<sentencepiece::SentencePieceProcessor> sp_;
  int32_t pad_id_ = 0;
  int32_t eos_id_ = 0;
  int32_t bos_id_ = -1;
};

}  // namespace photomap::model
