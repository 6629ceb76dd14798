// Encoder: the facade the rest of photomap uses to turn preprocessed images and token ids into
// L2-normalised CLIP / SigLIP embeddings.
//
// A model directory is laid out like a Hugging Face download: config.json + model.safetensors
// (or sharded model-0000N-of-0000M.safetensors + model.safetensors.index.json), or an OpenCLIP
// export (open_clip_config.json + open_clip_model.safetensors). Tokenizer and preprocessor files
// may sit beside them; they are read by tokenizer.h / preprocess.h, not here.
//
// Inputs are what those produce:
//   EncodeImages  NCHW float32 [batch, C, S, S], S = image_size(), already resized, cropped and
//                 normalised with the model's mean/std.
//   EncodeTexts   [batch, length] int32 token ids (length <= text_max_length()), optionally with
//                 the matching attention mask (1 = real token). CLIP pools at the end-of-text
//                 token; SigLIP at the last position, so SigLIP rows must be padded the way its
//                 tokenizer config says (max_length 64).
// Outputs: one unit-length float32 row per input (F.normalize semantics, eps 1e-12).
//
// Large batches are split into chunks of EncoderOptions::max_batch. Errors: kNotFound /
// kCorrupt / kUnsupported from loading (naming the file and tensor), kInvalidInput for inputs of
// the wrong size or out-of-vocabulary ids.
// Thread-safety: all methods are const and may be called from several threads; forward passes
// are serialised internally (each already uses EncoderOptions::threads GEMM threads).
// Speed: the forward pass runs at about the GEMM backend's sgemm rate. On CPUs Debian's OpenBLAS
// does not recognise, the process must be started with OPENBLAS_CORETYPE set (see
// model/openblas_runtime.h) or it runs ~8x slower.
#pragma once

#include <cstdint>
#include <filesystem>
#include <memory>
#include <mutex>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "model/gemm_backend.h"
#include "model/graph.h"
#include "model/image_text_encoder.h"
#include "model/model_config.h"
#include "util/status.h"

namespace photomap::model {

struct EncoderOptions {
  int threads = 0;                        // GEMM threads; 0 = every online core
  std::string gemm_backend = "openblas";  // see gemm_backend.h
  int max_batch = 32;                     // forward-pass chunk size
};

class Encoder : public ImageTextEncoder {
 public:
  static Result<std::unique_ptr<Encoder>> Load(const std::filesystem::path& model_dir,
                                               const EncoderOptions& options = {});
  // Builds an encoder from an already-parsed config and weights (tests, benchmarks).
  static Result<std::unique_ptr<Encoder>> FromWeights(const ModelConfig& config,
                                                      const WeightSource& weights,
                                                      const EncoderOptions& options = {});

  const ModelConfig& config() const { return graph_->config(); }
  int embedding_dim() const override { return config().embedding_dim(); }
  int image_size() const override { return config().vision.image_size; }
  bool reads_text() const override { return true; }
  int num_channels() const { return config().vision.num_channels; }
  int text_max_length() const { return config().text.max_positions; }
  // Raw logit_scale parameter: similarity logits are exp(logit_scale) * cosine (+ logit_bias).
  float logit_scale() const override { return graph_->logit_scale(); }
  // SigLIP only; nullopt for CLIP.
  std::optional<float> logit_bias() const override { return graph_->logit_bias(); }
  std::string_view backend_name() const { return gemm_->name(); }
  int threads() const { return gemm_->threads(); }

  // `pixels` holds batch * C * S * S floats.
  Result<Embeddings> EncodeImages(std::span<const float> pixels, int batch) const override;
  // `ids` holds batch * length ids; `attention_mask` is empty or the same size.
  Result<Embeddings> EncodeTexts(std::span<const int32_t> ids, int batch, int length,
                                 std::span<const int32_t> attention_mask = {}) const override;

  // The lower layer, for tests that compare intermediates. Not normalised.
  Status RunVision(std::span<const float> pixels, int batch, VisionOutputs* out) const;
  Status RunText(std::span<const int32_t> ids, int batch, int length,
                 std::span<const int32_t> attention_mask, TextOutputs* out) const;

 private:
  Encoder() = default;

  std::unique_ptr<ModelGraph> graph_;
  std::unique_ptr<GemmBackend> gemm_;
  int max_batch_ = 32;
  mutable std::mutex mu_;  // guards gemm_ use and ws_
  mutable Workspace ws_;
};

}  // namespace photomap::model
