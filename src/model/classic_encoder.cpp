#include "model/classic_encoder.h"

#include <string>

#include "model/classic_descriptor.h"

namespace photomap::model {

PreprocessConfig ClassicPreprocessConfig() {
  PreprocessConfig p;
  p.do_resize = true;
  p.resize_mode = PreprocessConfig::ResizeMode::kExact;
  p.resize_width = kClassicInputSize;
  p.resize_height = kClassicInputSize;
  p.shortest_edge = kClassicInputSize;
  p.resample = 3;
  p.do_center_crop = false;
  p.crop_width = kClassicInputSize;
  p.crop_height = kClassicInputSize;
  p.do_rescale = true;
  p.rescale_factor = 1.0f / 255.0f;
  p.do_normalize = false;
  p.mean = {0.0f, 0.0f, 0.0f};
  p.std = {1.0f, 1.0f, 1.0f};
  return p;
}

int ClassicEncoder::embedding_dim() const { return kClassicDim; }

int ClassicEncoder::image_size() const { return kClassicInputSize; }

Result<Embeddings> ClassicEncoder::EncodeImages(std::span<const float> pixels, int batch) const {
  const size_t per = 3u * kClassicInputSize * kClassicInputSize;
  if (batch < 0 || pixels.size() != per * static_cast<size_t>(batch)) {
    return InvalidInput("image batch: expected " + std::to_string(batch) + " x 3 x " +
                        std::to_string(kClassicInputSize) + " x " +
                        std::to_string(kClassicInputSize) + " floats for " + kClassicEncoderSpec +
                        ", got " + std::to_string(pixels.size()));
  }
  Embeddings out;
  out.rows = batch;
  out.dim = kClassicDim;
  out.data.resize(static_cast<size_t>(batch) * kClassicDim);
  for (int i = 0; i < batch; ++i) {
    PHOTOMAP_RETURN_IF_ERROR(ComputeClassicDescriptor(
        pixels.subspan(per * i, per),
        std::span<float>(out.data).subspan(static_cast<size_t>(i) * kClassicDim, kClassicDim)));
  }
  return out;
}

Result<Embeddings> ClassicEncoder::EncodeTexts(std::span<const int32_t>, int, int,
                                               std::span<const int32_t>) const {
  return TextNotSupportedError(kClassicEncoderSpec);
}

}  // namespace photomap::model
