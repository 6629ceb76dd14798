// ImageTextEncoder: what indexing and search need from an encoder, whatever computes it — the
// CLIP / SigLIP transformer (encoder.h) or the weight-free classic descriptor
// (classic_encoder.h). Images arrive preprocessed as the encoder's PreprocessConfig says; every
// output row is unit length, so cosine similarity is a dot product.
//
// Capability query: reads_text() is false for encoders that only embed images; their
// EncodeTexts returns TextNotSupportedError. Implementations are immutable after construction
// and thread-safe (all methods const).
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "util/status.h"

namespace photomap::model {

// Row-major [rows, dim] embeddings.
struct Embeddings {
  int rows = 0;
  int dim = 0;
  std::vector<float> data;

  std::span<const float> row(int i) const {
    return {data.data() + static_cast<size_t>(i) * dim, static_cast<size_t>(dim)};
  }
};

class ImageTextEncoder {
 public:
  virtual ~ImageTextEncoder() = default;

  virtual int embedding_dim() const = 0;
  // Side S of the square NCHW input [batch, 3, S, S] EncodeImages expects.
  virtual int image_size() const = 0;
  // False when the encoder cannot embed text (text search is impossible with it).
  virtual bool reads_text() const = 0;
  // Raw logit_scale parameter: similarity logits are exp(logit_scale) * cosine (+ logit_bias).
  virtual float logit_scale() const = 0;
  // SigLIP only; nullopt for CLIP and encoders without text.
  virtual std::optional<float> logit_bias() const = 0;

  // `pixels` holds batch * 3 * S * S floats. Errors: InvalidInput for a wrongly sized batch.
  virtual Result<Embeddings> EncodeImages(std::span<const float> pixels, int batch) const = 0;
  // `ids` holds batch * length ids; `attention_mask` is empty or the same size.
  // Errors: InvalidInput for bad sizes or ids, and TextNotSupportedError when !reads_text().
  virtual Result<Embeddings> EncodeTexts(std::span<const int32_t> ids, int batch, int length,
                                         std::span<const int32_t> attention_mask = {}) const = 0;
};

// The one wording of "this encoder cannot embed text" (InvalidInput: the request asks for
// something the album's index cannot answer, HTTP 400). `spec` names the album's encoder.
inline Error TextNotSupportedError(std::string_view spec) {
  return InvalidInput("this album's encoder (" + std::string(spec) +
                      ") cannot read text; index it with a CLIP model (`photomap models pull "
                      "openai-clip:ViT-B/32`, then set the album's encoder and re-index) to "
                      "search by text, or search by image");
}

}  // namespace photomap::model
