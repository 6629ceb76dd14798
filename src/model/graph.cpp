#include "model/graph.h"

#include <string>

namespace photomap::model {

void Patchify(const float* pixels, int batch, int channels, int image_size, int patch, float* out) {
  const int grid = image_size / patch;
  const size_t plane = static_cast<size_t>(image_size) * image_size;
  const size_t row_len = static_cast<size_t>(channels) * patch * patch;
  for (int b = 0; b < batch; ++b) {
    const float* img = pixels + static_cast<size_t>(b) * channels * plane;
    for (int gy = 0; gy < grid; ++gy) {
      for (int gx = 0; gx < grid; ++gx) {
        float* dst = out + (static_cast<size_t>(b) * grid * grid + gy * grid + gx) * row_len;
        for (int c = 0; c < channels; ++c) {
          for (int ky = 0; ky < patch; ++ky) {
            const float* src =
                img + c * plane + static_cast<size_t>(gy * patch + ky) * image_size + gx * patch;
            std::copy(src, src + patch, dst);
            dst += patch;
          }
        }
      }
    }
  }
}

Status CheckTokenInput(const TextConfig& text, const int32_t* ids, int batch, int seq) {
  if (batch < 0) return InvalidInput("text batch size must be >= 0");
  if (seq < 1 || seq > text.max_positions) {
    return InvalidInput("token rows have length " + std::to_string(seq) + "; this model takes 1.." +
                        std::to_string(text.max_positions));
  }
  for (size_t i = 0; i < static_cast<size_t>(batch) * seq; ++i) {
    if (ids[i] < 0 || ids[i] >= text.vocab_size) {
      return InvalidInput("token id " + std::to_string(ids[i]) + " at row " +
                          std::to_string(i / seq) + " is outside the vocabulary (size " +
                          std::to_string(text.vocab_size) + ")");
    }
  }
  return Status::Ok();
}

Result<std::unique_ptr<ModelGraph>> LoadGraph(const ModelConfig& config,
                                              const WeightSource& weights) {
  switch (config.family) {
    case ModelFamily::kClip:
      return LoadClipGraph(config, weights);
    case ModelFamily::kSiglip:
      return LoadSiglipGraph(config, weights);
  }
  return Internal("unknown model family");
}

}  // namespace photomap::model
