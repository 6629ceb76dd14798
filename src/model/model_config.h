// ModelConfig: the architecture of a CLIP-family dual encoder, read from the model's own files.
//
// Sources, in order of preference, all in the model directory:
//   config.json             Hugging Face transformers (model_type "clip" -> CLIPModel,
//                           "siglip" -> SiglipModel). Fields missing from the file take the
//                           defaults transformers itself uses for that class, so a config that
//                           relies on them reads the same here as there.
//   open_clip_config.json   OpenCLIP ({"model_cfg": {"embed_dim", "vision_cfg", "text_cfg",
//                           "quick_gelu"}}); weights use OpenCLIP tensor names (see weights.h).
// The graphs branch on the fields below (ModelConfig::family and the per-tower flags), never on
// a model's name. Every size is later checked against the weight tensors' shapes.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>

#include "util/status.h"

namespace photomap::model {

enum class Activation {
  kQuickGelu,  // x * sigmoid(1.702 x)  (OpenAI CLIP)
  kGelu,       // exact erf GELU        (most OpenCLIP models)
  kGeluTanh,   // tanh approximation    ("gelu_pytorch_tanh", "gelu_new"; SigLIP)
  kRelu,
};

// Maps a transformers hidden_act string; nullopt-like error for unknown names.
Result<Activation> ParseActivation(const std::string& name);
const char* ActivationName(Activation act);

enum class ModelFamily {
  kClip,    // class token, pre-LN, post-LN on the class token, projections without bias
  kSiglip,  // no class token, post-LN on all tokens, MAP head, text `head` linear, logit bias
};

enum class WeightNaming {
  kHuggingFace,  // vision_model.encoder.layers.N.self_attn.q_proj.weight ...
  kOpenClip,     // visual.transformer.resblocks.N.attn.in_proj_weight ...
};

enum class TextPooling {
  kEosToken,   // first position holding eos_token_id (transformers CLIP, eos_token_id != 2)
  kArgmaxId,   // position of the highest id (OpenAI CLIP / OpenCLIP / legacy eos_token_id 2)
  kLastToken,  // the last position (SigLIP)
};

struct TowerConfig {
  int hidden_size = 0;
  int intermediate_size = 0;
  int num_layers = 0;
  int num_heads = 0;
  Activation act = Activation::kQuickGelu;
  float layer_norm_eps = 1e-5f;

  int head_dim() const { return num_heads > 0 ? hidden_size / num_heads : 0; }
};

struct VisionConfig : TowerConfig {
  int image_size = 0;
  int patch_size = 0;
  int num_channels = 3;
  bool use_head = true;  // SigLIP: MAP attention-pooling head (vision_use_head)

  int grid() const { return patch_size > 0 ? image_size / patch_size : 0; }
  int num_patches() const { return grid() * grid(); }
};

struct TextConfig : TowerConfig {
  int vocab_size = 0;
  int max_positions = 0;
  int64_t bos_token_id = -1;
  int64_t eos_token_id = -1;
  int64_t pad_token_id = -1;
  int projection_size = 0;  // SigLIP text `head` output width
  bool causal = true;
  TextPooling pooling = TextPooling::kEosToken;
};

struct ModelConfig {
  ModelFamily family = ModelFamily::kClip;
  WeightNaming naming = WeightNaming::kHuggingFace;
  std::string model_type;  // "clip", "siglip", "open_clip"
  VisionConfig vision;
  TextConfig text;
  int projection_dim = 0;  // CLIP: shared embedding width; SigLIP: text projection_size
  float logit_scale_init = 2.6592f;

  // Width of the joint embedding space.
  int embedding_dim() const { return projection_dim; }
  // Checks every size is positive and consistent (heads divide width, patch divides image...).
  Status Validate(const std::string& label) const;
};

// Parses a transformers config.json text. `label` names the file in error messages.
Result<ModelConfig> ParseHfConfig(const std::string& json_text, const std::string& label);
// Parses an open_clip_config.json text.
Result<ModelConfig> ParseOpenClipConfig(const std::string& json_text, const std::string& label);
// Reads config.json, else open_clip_config.json, from `model_dir`.
Result<ModelConfig> LoadModelConfig(const std::filesystem::path& model_dir);

}  // namespace photomap::model
