// WeightSource: named float32 weights for the graphs, whatever the checkpoint's naming scheme.
//
// The graphs ask for tensors by their Hugging Face transformers name and the shape the config
// implies (e.g. "vision_model.encoder.layers.3.self_attn.q_proj.weight", {768, 768}). A source
// maps that to its files:
//   Hugging Face  model.safetensors, or shards listed in model.safetensors.index.json.
//   OpenCLIP      open_clip_model.safetensors (or model.safetensors) with OpenCLIP names:
//                 q/k/v are row slices of attn.in_proj_weight / in_proj_bias, mlp.c_fc / c_proj
//                 are fc1 / fc2, visual.proj and text_projection are stored transposed
//                 ([width, embed]) and are transposed back to [embed, width].
// Errors name the file and the tensor (missing, wrong shape, unsupported dtype).
// Thread-safety: immutable after opening; Load may be called concurrently.
#pragma once

#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "model/model_config.h"
#include "model/tensor.h"
#include "util/status.h"

namespace photomap::model {

class WeightSource {
 public:
  virtual ~WeightSource() = default;
  // Where the weights come from, for messages.
  virtual std::string label() const = 0;
  virtual bool Contains(const std::string& hf_name) const = 0;
  // Loads `hf_name` as float32 and checks its shape is `shape`.
  virtual Result<Tensor> Load(const std::string& hf_name,
                              const std::vector<int64_t>& shape) const = 0;
};

// Opens the weight files of `model_dir` for `naming`.
Result<std::unique_ptr<WeightSource>> OpenWeights(const std::filesystem::path& model_dir,
                                                  WeightNaming naming);

// The OpenCLIP tensor name holding HF tensor `hf_name` (for tests and error messages);
// empty when there is no counterpart.
std::string OpenClipNameFor(const std::string& hf_name);

}  // namespace photomap::model
