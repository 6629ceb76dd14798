// SentencePieceTokenizer: SigLIP-family text tokenization on Debian's libsentencepiece.
//
// With siglip_rules it is a port of transformers' SiglipTokenizer (the slow tokenizer SigLIP
// checkpoints ship): the model is loaded with add_dummy_prefix switched off, the text becomes
// "\u2581" + text, is lower-cased, stripped of ASCII punctuation and whitespace-collapsed, encoded
// behind an "<unk>" prefix whose pieces are then dropped, and </s> is appended; rows are truncated
// (</s> kept last) and padded with </s> to max_length, as processor(padding="max_length",
// truncation=True) does. Gemma-style models (SigLIP 2) follow their tokenizer_config flags
// instead: plain encoding, <bos> when add_bos_token. Immutable after loading; EncodeBatch is
// thread-safe (SentencePiece encoding is const).
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
  int context_length = 64;  // SigLIP's model_max_length
  bool lower_case = true;   // SiglipTokenizer do_lower_case
  // SiglipTokenizer's text path: canonicalize_text, no dummy prefix, the <unk>-prefix trick.
  bool siglip_rules = true;
  bool add_bos = false;            // Gemma tokenizers add <bos>; SiglipTokenizer does not
  bool add_eos = true;             // SiglipTokenizer appends </s>
  std::string pad_token = "</s>";  // SiglipTokenizer's pad token; Gemma uses "<pad>"
  std::string eos_token = "</s>";
  std::string bos_token = "<bos>";
  std::string unk_token = "<unk>";
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

  // The string handed to SentencePiece (after the <unk> prefix, with siglip_rules): "\u2581" +
  // text, lower-cased and canonicalised as the options say.
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
  size_t unk_prefix_pieces_ = 0;  // pieces of options_.unk_token alone, dropped after encoding
};

}  // namespace photomap::model
