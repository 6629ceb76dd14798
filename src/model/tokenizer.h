// Tokenizer: turns query texts into the fixed-length id rows a text encoder consumes.
//
// Two implementations sit behind this interface: CLIP's byte-level BPE (bpe_tokenizer.h) and
// SentencePiece for SigLIP (sentencepiece_tokenizer.h). LoadTokenizer picks one from the files in
// a model directory, so the encoder never branches on model names. Tokenizers are immutable after
// loading and EncodeBatch is safe to call from many threads at once.
#pragma once

#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "util/status.h"

namespace photomap::model {

// A batch of token rows, row-major: ids[b * length + t]. Every row has exactly `length` entries
// (the tokenizer's context length); positions past the text hold the pad id and mask 0.
struct TokenBatch {
  int batch = 0;
  int length = 0;
  std::vector<int32_t> ids;             // batch * length
  std::vector<int32_t> attention_mask;  // batch * length; 1 = real token (incl. bos/eos), 0 = pad
  std::vector<int32_t> eos_positions;   // batch; index of the last real token in each row
};

class Tokenizer {
 public:
  virtual ~Tokenizer() = default;

  // Tokenizes each text into one row of context_length() ids, adding the model's special tokens,
  // truncating long texts (the end-of-text token is kept last) and padding short ones.
  // Returns InvalidInput when a text is not valid UTF-8. Never fails for any valid UTF-8 text,
  // including the empty string.
  virtual Result<TokenBatch> EncodeBatch(const std::vector<std::string>& texts) const = 0;

  // The fixed row length (77 for CLIP, 64 for SigLIP), from the model's tokenizer config.
  virtual int context_length() const = 0;
  // Id used for padding positions (0 for OpenAI CLIP, </s> for SigLIP).
  virtual int32_t pad_id() const = 0;
  // End-of-text id (CLIP's <|endoftext|>, SigLIP's </s>); the text encoders pool at it.
  virtual int32_t eos_id() const = 0;
  // Start-of-text id, or -1 when the tokenizer adds none (SigLIP).
  virtual int32_t bos_id() const = 0;
  // A short name for logs: "clip-bpe" or "sentencepiece".
  virtual std::string name() const = 0;
};

// Loads the tokenizer described by the files in `model_dir`:
//   vocab.json + merges.txt, or a BPE tokenizer.json  -> CLIP byte-level BPE
//   spiece.model or tokenizer.model                   -> SentencePiece (SigLIP)
// Context length comes from tokenizer_config.json (model_max_length), else config.json
// (text_config.max_position_embeddings), else 77 (BPE) / 64 (SentencePiece).
// Returns NotFound naming the expected files when none are present; Corrupt when a file cannot be
// parsed (the message names the file). The returned tokenizer owns all its data.
Result<std::unique_ptr<Tokenizer>> LoadTokenizer(const std::filesystem::path& model_dir);

}  // namespace photomap::model
