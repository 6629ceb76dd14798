// ClassicEncoder: the encoder behind the spec "classic:v1" — the fixed descriptor of
// classic_descriptor.h behind the ImageTextEncoder interface, so indexing, image search and the
// map use it like any model. It needs no weights and reads no text: EncodeTexts returns
// TextNotSupportedError. Immutable and thread-safe.
#pragma once

#include <memory>

#include "model/image_text_encoder.h"
#include "model/preprocess.h"

namespace photomap::model {

inline constexpr const char* kClassicEncoderSpec = "classic:v1";

// How images are prepared for the classic encoder: the whole picture (no crop) resized with
// bicubic to kClassicInputSize squared, aspect not kept, values rescaled to [0, 1] and not
// normalised. The decoder's shrink-on-load therefore targets a 128 px short side.
PreprocessConfig ClassicPreprocessConfig();

class ClassicEncoder final : public ImageTextEncoder {
 public:
  ClassicEncoder() = default;
  ClassicEncoder(const ClassicEncoder&) = delete;
  ClassicEncoder& operator=(const ClassicEncoder&) = delete;

  int embedding_dim() const override;
  int image_size() const override;
  bool reads_text() const override { return false; }
  // Image-to-image cosines are never calibrated, so the scale is 0 (exp(0) = 1) and no bias.
  float logit_scale() const override { return 0.0f; }
  std::optional<float> logit_bias() const override { return std::nullopt; }

  // One descriptor per image. Errors: InvalidInput when pixels.size() != batch * 3 * 128 * 128.
  Result<Embeddings> EncodeImages(std::span<const float> pixels, int batch) const override;
  // Always TextNotSupportedError("classic:v1").
  Result<Embeddings> EncodeTexts(std::span<const int32_t> ids, int batch, int length,
                                 std::span<const int32_t> attention_mask = {}) const override;
};

}  // namespace photomap::model
