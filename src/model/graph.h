// ModelGraph: a loaded dual encoder (CLIP or SigLIP) that runs batched forward passes.
//
// The encoder facade (encoder.h) is what the product uses; this lower layer exposes the named
// intermediates the golden tests compare layer by layer against transformers.
//
// Inputs:
//   pixels  NCHW float32, already preprocessed (resized, cropped, normalised), [batch, C, S, S]
//           with S = vision.image_size.
//   ids     [batch, seq] token ids, seq in 1..text.max_positions; optional attention mask
//           [batch, seq] (1 = real token). CLIP pools at the end-of-text token (per the config's
//           pooling rule) and never needs the mask for its embedding; SigLIP pools the last row.
// Thread-safety: Run* are const and may run concurrently, each with its own GemmBackend and
// Workspace.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>

#include "model/gemm_backend.h"
#include "model/model_config.h"
#include "model/tensor.h"
#include "model/transformer.h"
#include "model/weights.h"
#include "util/status.h"

namespace photomap::model {

struct VisionOutputs {
  // CLIP: encoder output before post-layernorm [B, 1 + P, D]; SigLIP: after post-layernorm [B, P,
  // D].
  Tensor last_hidden_state;
  Tensor pooled;  // CLIP: post-LN class token [B, D]; SigLIP: MAP head output [B, D]
  Tensor embeds;  // unnormalised embedding [B, E] (CLIP: after visual_projection; SigLIP: pooled)
};

struct TextOutputs {
  Tensor last_hidden_state;  // after the final layer norm [B, T, D]
  Tensor pooled;             // CLIP: row at the pooling position [B, D]; SigLIP: head(last) [B, E]
  Tensor embeds;             // unnormalised embedding [B, E]
};

class ModelGraph {
 public:
  virtual ~ModelGraph() = default;

  virtual const ModelConfig& config() const = 0;
  // Raw logit_scale parameter (similarities are scaled by exp(logit_scale)).
  virtual float logit_scale() const = 0;
  // SigLIP's logit_bias; nullopt for CLIP.
  virtual std::optional<float> logit_bias() const = 0;

  // `keep_hidden` false skips copying last_hidden_state out (saves memory in production).
  virtual Status RunVision(GemmBackend& gemm, const float* pixels, int batch, bool keep_hidden,
                           VisionOutputs* out, Workspace& ws) const = 0;
  virtual Status RunText(GemmBackend& gemm, const int32_t* ids, const int32_t* attention_mask,
                         int batch, int seq, bool keep_hidden, TextOutputs* out,
                         Workspace& ws) const = 0;
};

// Loads the graph for `config.family` from `weights`, checking every tensor's shape.
Result<std::unique_ptr<ModelGraph>> LoadClipGraph(const ModelConfig& config,
                                                  const WeightSource& weights);
Result<std::unique_ptr<ModelGraph>> LoadSiglipGraph(const ModelConfig& config,
                                                    const WeightSource& weights);
Result<std::unique_ptr<ModelGraph>> LoadGraph(const ModelConfig& config,
                                              const WeightSource& weights);

// Shared by both graphs: im2col of `batch` NCHW images into [batch * P, C * p * p] rows in
// (c, ky, kx) order, matching a Conv2d weight [D, C, p, p] flattened to [D, C*p*p].
void Patchify(const float* pixels, int batch, int channels, int image_size, int patch, float* out);
// Checks every id is in [0, vocab) and seq in [1, max_positions].
Status CheckTokenInput(const TextConfig& text, const int32_t* ids, int batch, int seq);

}  // namespace photomap::model
