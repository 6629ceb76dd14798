#include "model/model_config.h"

#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

namespace photomap::model {

namespace {

using nlohmann::json;

// Reads optional fields with type checks; the first problem is kept in `error`.
class Reader {
 public:
  Reader(const json& obj, std::string where) : obj_(obj), where_(std::move(where)) {}

  int Int(const char* key, int fallback) {
    auto it = obj_.find(key);
    if (it == obj_.end() || it->is_null()) return fallback;
    if (!it->is_number_integer() || it->get<int64_t>() < -1 ||
        it->get<int64_t>() > (int64_t{1} << 30)) {
      Fail(std::string(key) + " must be an integer, got " + it->dump());
      return fallback;
    }
    return static_cast<int>(it->get<int64_t>());
  }
  int64_t Id(const char* key, int64_t fallback) {
    auto it = obj_.find(key);
    if (it == obj_.end() || it->is_null()) return fallback;
    if (!it->is_number_integer()) {
      Fail(std::string(key) + " must be an integer, got " + it->dump());
      return fallback;
    }
    return it->get<int64_t>();
  }
  double Number(const char* key, double fallback) {
    auto it = obj_.find(key);
    if (it == obj_.end() || it->is_null()) return fallback;
    if (!it->is_number()) {
      Fail(std::string(key) + " must be a number, got " + it->dump());
      return fallback;
    }
    return it->get<double>();
  }
  bool Bool(const char* key, bool fallback) {
    auto it = obj_.find(key);
    if (it == obj_.end() || it->is_null()) return fallback;
    if (!it->is_boolean()) {
      Fail(std::string(key) + " must be true or false, got " + it->dump());
      return fallback;
    }
    return it->get<bool>();
  }
  std::string String(const char* key, const std::string& fallback) {
    auto it = obj_.find(key);
    if (it == obj_.end() || it->is_null()) return fallback;
    if (!it->is_string()) {
      Fail(std::string(key) + " must be a string, got " + it->dump());
      return fallback;
    }
    return it->get<std::string>();
  }
  Activation Act(const char* key, Activation fallback) {
    auto it = obj_.find(key);
    if (it == obj_.end() || it->is_null()) return fallback;
    if (!it->is_string()) {
      Fail(std::string(key) + " must be a string");
      return fallback;
    }
    auto act = ParseActivation(it->get<std::string>());
    if (!act.ok()) {
      if (!error_) error_ = Unsupported(where_ + ": " + act.error().message);
      return fallback;
    }
    return *act;
  }
  bool Has(const char* key) const { return obj_.contains(key); }

  const std::optional<Error>& error() const { return error_; }

 private:
  void Fail(const std::string& msg) {
    if (!error_) error_ = Corrupt(where_ + ": " + msg);
  }
  const json& obj_;
  std::string where_;
  std::optional<Error> error_;
};

Result<json> ParseObject(const std::string& text, const std::string& label) {
  json j = json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded() || !j.is_object()) {
    return Corrupt(label + ": not a JSON object");
  }
  return j;
}

const json& SubObject(const json& j, const char* key) {
  static const json kEmpty = json::object();
  auto it = j.find(key);
  if (it == j.end() || !it->is_object()) return kEmpty;
  return *it;
}

Result<std::string> ReadFile(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return IoError(path.string() + ": cannot be read");
  std::ostringstream ss;
  ss << in.rdbuf();
  if (in.bad()) return IoError(path.string() + ": read failed");
  return ss.str();
}

}  // namespace

Result<Activation> ParseActivation(const std::string& name) {
  if (name == "quick_gelu") return Activation::kQuickGelu;
  if (name == "gelu") return Activation::kGelu;
  if (name == "gelu_pytorch_tanh" || name == "gelu_new" || name == "gelu_fast") {
    // gelu_fast is the same tanh formula with a factored constant; identical in float32 to ~1e-7.
    return Activation::kGeluTanh;
  }
  if (name == "relu") return Activation::kRelu;
  return Unsupported("hidden_act '" + name +
                     "' is not supported (quick_gelu, gelu, gelu_pytorch_tanh, gelu_new, relu)");
}

const char* ActivationName(Activation act) {
  switch (act) {
    case Activation::kQuickGelu:
      return "quick_gelu";
    case Activation::kGelu:
      return "gelu";
    case Activation::kGeluTanh:
      return "gelu_pytorch_tanh";
    case Activation::kRelu:
      return "relu";
  }
  return "?";
}

Status ModelConfig::Validate(const std::string& label) const {
  auto bad = [&](const std::string& m) { return Status(Corrupt(label + ": " + m)); };
  auto tower = [&](const TowerConfig& t, const char* name) -> Status {
    if (t.hidden_size <= 0 || t.intermediate_size <= 0 || t.num_layers <= 0 || t.num_heads <= 0) {
      return bad(std::string(name) +
                 ": hidden_size, intermediate_size, num_hidden_layers and "
                 "num_attention_heads must be positive");
    }
    if (t.hidden_size % t.num_heads != 0) {
      return bad(std::string(name) + ": hidden_size " + std::to_string(t.hidden_size) +
                 " is not divisible by num_attention_heads " + std::to_string(t.num_heads));
    }
    if (!(t.layer_norm_eps > 0.0f)) return bad(std::string(name) + ": layer_norm_eps must be > 0");
    return Status::Ok();
  };
  PHOTOMAP_RETURN_IF_ERROR(tower(vision, "vision_config"));
  PHOTOMAP_RETURN_IF_ERROR(tower(text, "text_config"));
  if (vision.image_size <= 0 || vision.patch_size <= 0 || vision.num_channels <= 0) {
    return bad("vision_config: image_size, patch_size and num_channels must be positive");
  }
  if (vision.image_size % vision.patch_size != 0) {
    return bad("vision_config: image_size " + std::to_string(vision.image_size) +
               " is not a multiple of patch_size " + std::to_string(vision.patch_size));
  }
  if (vision.image_size > 8192) return bad("vision_config: image_size is implausibly large");
  if (text.vocab_size <= 0 || text.max_positions <= 0) {
    return bad("text_config: vocab_size and max_position_embeddings must be positive");
  }
  if (projection_dim <= 0) return bad("projection_dim must be positive");
  if (family == ModelFamily::kSiglip && text.projection_size != projection_dim) {
    return bad("internal: SigLIP projection size mismatch");
  }
  return Status::Ok();
}

Result<ModelConfig> ParseHfConfig(const std::string& json_text, const std::string& label) {
  auto parsed = ParseObject(json_text, label);
  if (!parsed.ok()) return parsed.error();
  const json& j = *parsed;
  Reader top(j, label);
  ModelConfig c;
  c.naming = WeightNaming::kHuggingFace;
  c.model_type = top.String("model_type", "");
  if (c.model_type.empty()) {
    // Older configs sometimes omit model_type; the architectures list then says it.
    auto arch = j.find("architectures");
    if (arch != j.end() && arch->is_array()) {
      for (const auto& a : *arch) {
        if (a == "CLIPModel") c.model_type = "clip";
        if (a == "SiglipModel") c.model_type = "siglip";
      }
    }
  }
  const json& tj = SubObject(j, "text_config");
  const json& vj = SubObject(j, "vision_config");
  Reader t(tj, label + ": text_config");
  Reader v(vj, label + ": vision_config");

  if (c.model_type == "clip") {
    // transformers CLIPConfig / CLIPTextConfig / CLIPVisionConfig defaults.
    c.family = ModelFamily::kClip;
    c.projection_dim = top.Int("projection_dim", 512);
    c.logit_scale_init = static_cast<float>(top.Number("logit_scale_init_value", 2.6592));
    c.text.vocab_size = t.Int("vocab_size", 49408);
    c.text.hidden_size = t.Int("hidden_size", 512);
    c.text.intermediate_size = t.Int("intermediate_size", 2048);
    c.text.num_layers = t.Int("num_hidden_layers", 12);
    c.text.num_heads = t.Int("num_attention_heads", 8);
    c.text.max_positions = t.Int("max_position_embeddings", 77);
    c.text.act = t.Act("hidden_act", Activation::kQuickGelu);
    c.text.layer_norm_eps = static_cast<float>(t.Number("layer_norm_eps", 1e-5));
    c.text.pad_token_id = t.Id("pad_token_id", 1);
    c.text.bos_token_id = t.Id("bos_token_id", 49406);
    c.text.eos_token_id = t.Id("eos_token_id", 49407);
    c.text.causal = true;
    // transformers: eos_token_id == 2 is the legacy config value; it then pools at the highest id.
    c.text.pooling = c.text.eos_token_id == 2 ? TextPooling::kArgmaxId : TextPooling::kEosToken;
    c.vision.hidden_size = v.Int("hidden_size", 768);
    c.vision.intermediate_size = v.Int("intermediate_size", 3072);
    c.vision.num_layers = v.Int("num_hidden_layers", 12);
    c.vision.num_heads = v.Int("num_attention_heads", 12);
    c.vision.num_channels = v.Int("num_channels", 3);
    c.vision.image_size = v.Int("image_size", 224);
    c.vision.patch_size = v.Int("patch_size", 32);
    c.vision.act = v.Act("hidden_act", Activation::kQuickGelu);
    c.vision.layer_norm_eps = static_cast<float>(v.Number("layer_norm_eps", 1e-5));
    c.vision.use_head = false;
  } else if (c.model_type == "siglip") {
    // transformers SiglipConfig / SiglipTextConfig / SiglipVisionConfig defaults.
    c.family = ModelFamily::kSiglip;
    c.text.vocab_size = t.Int("vocab_size", 32000);
    c.text.hidden_size = t.Int("hidden_size", 768);
    c.text.intermediate_size = t.Int("intermediate_size", 3072);
    c.text.num_layers = t.Int("num_hidden_layers", 12);
    c.text.num_heads = t.Int("num_attention_heads", 12);
    c.text.max_positions = t.Int("max_position_embeddings", 64);
    c.text.act = t.Act("hidden_act", Activation::kGeluTanh);
    c.text.layer_norm_eps = static_cast<float>(t.Number("layer_norm_eps", 1e-6));
    c.text.pad_token_id = t.Id("pad_token_id", 1);
    c.text.bos_token_id = t.Id("bos_token_id", 49406);
    c.text.eos_token_id = t.Id("eos_token_id", 49407);
    c.text.projection_size = t.Int("projection_size", c.text.hidden_size);
    c.text.causal = false;
    c.text.pooling = TextPooling::kLastToken;
    c.projection_dim = c.text.projection_size;
    c.vision.hidden_size = v.Int("hidden_size", 768);
    c.vision.intermediate_size = v.Int("intermediate_size", 3072);
    c.vision.num_layers = v.Int("num_hidden_layers", 12);
    c.vision.num_heads = v.Int("num_attention_heads", 12);
    c.vision.num_channels = v.Int("num_channels", 3);
    c.vision.image_size = v.Int("image_size", 224);
    c.vision.patch_size = v.Int("patch_size", 16);
    c.vision.act = v.Act("hidden_act", Activation::kGeluTanh);
    c.vision.layer_norm_eps = static_cast<float>(v.Number("layer_norm_eps", 1e-6));
    c.vision.use_head = v.Bool("vision_use_head", true);
  } else if (c.model_type == "siglip2") {
    return Unsupported(label +
                       ": model_type 'siglip2' (NaFlex variable-resolution SigLIP 2) is "
                       "not supported; use a fixed-resolution checkpoint (model_type 'siglip')");
  } else {
    return Unsupported(label + ": model_type '" + c.model_type +
                       "' is not a supported dual encoder (expected 'clip' or 'siglip')");
  }
  for (const Reader* r : {&top, &t, &v}) {
    if (r->error()) return *r->error();
  }
  PHOTOMAP_RETURN_IF_ERROR(c.Validate(label));
  return c;
}

Result<ModelConfig> ParseOpenClipConfig(const std::string& json_text, const std::string& label) {
  auto parsed = ParseObject(json_text, label);
  if (!parsed.ok()) return parsed.error();
  const json& root = *parsed;
  const json& mj = root.contains("model_cfg") ? SubObject(root, "model_cfg") : root;
  const json& vj = SubObject(mj, "vision_cfg");
  const json& tj = SubObject(mj, "text_cfg");
  Reader m(mj, label + ": model_cfg");
  Reader v(vj, label + ": vision_cfg");
  Reader t(tj, label + ": text_cfg");
  for (const char* key : {"timm_model_name", "attentional_pool", "attn_pooler_queries"}) {
    if (vj.contains(key) && !vj[key].is_null() && vj[key] != false) {
      return Unsupported(label + ": vision_cfg." + key +
                         " (a non-ViT or pooled tower) is not "
                         "supported");
    }
  }
  if (tj.contains("hf_model_name") && !tj["hf_model_name"].is_null()) {
    return Unsupported(label +
                       ": text_cfg.hf_model_name (a Hugging Face text tower) is not "
                       "supported");
  }
  if (v.String("pool_type", "tok") != "tok" || t.String("pool_type", "argmax") != "argmax" ||
      v.Bool("no_ln_pre", false) || v.Bool("final_ln_after_pool", false) ||
      t.Bool("no_causal_mask", false)) {
    return Unsupported(label +
                       ": only the standard OpenCLIP ViT layout is supported "
                       "(pool_type tok/argmax, ln_pre, causal text mask)");
  }
  ModelConfig c;
  c.family = ModelFamily::kClip;
  c.naming = WeightNaming::kOpenClip;
  c.model_type = "open_clip";
  c.projection_dim = m.Int("embed_dim", 0);
  Activation act = m.Bool("quick_gelu", false) ? Activation::kQuickGelu : Activation::kGelu;

  c.vision.image_size = v.Int("image_size", 224);
  c.vision.patch_size = v.Int("patch_size", 16);
  c.vision.hidden_size = v.Int("width", 768);
  c.vision.num_layers = v.Int("layers", 12);
  int head_width = v.Int("head_width", 64);
  c.vision.num_heads = head_width > 0 ? c.vision.hidden_size / head_width : 0;
  c.vision.intermediate_size = static_cast<int>(c.vision.hidden_size * v.Number("mlp_ratio", 4.0));
  c.vision.act = act;
  c.vision.layer_norm_eps = 1e-5f;
  c.vision.use_head = false;

  c.text.max_positions = t.Int("context_length", 77);
  c.text.vocab_size = t.Int("vocab_size", 49408);
  c.text.hidden_size = t.Int("width", 512);
  c.text.num_heads = t.Int("heads", 8);
  c.text.num_layers = t.Int("layers", 12);
  c.text.intermediate_size = static_cast<int>(c.text.hidden_size * t.Number("mlp_ratio", 4.0));
  c.text.act = act;
  c.text.layer_norm_eps = 1e-5f;
  c.text.causal = true;
  c.text.pooling = TextPooling::kArgmaxId;
  c.text.eos_token_id = 49407;
  c.text.bos_token_id = 49406;
  c.text.pad_token_id = 0;
  for (const Reader* r : {&m, &v, &t}) {
    if (r->error()) return *r->error();
  }
  PHOTOMAP_RETURN_IF_ERROR(c.Validate(label));
  return c;
}

Result<ModelConfig> LoadModelConfig(const std::filesystem::path& model_dir) {
  std::error_code ec;
  auto hf = model_dir / "config.json";
  if (std::filesystem::is_regular_file(hf, ec)) {
    auto text = ReadFile(hf);
    if (!text.ok()) return text.error();
    return ParseHfConfig(*text, hf.string());
  }
  auto oc = model_dir / "open_clip_config.json";
  if (std::filesystem::is_regular_file(oc, ec)) {
    auto text = ReadFile(oc);
    if (!text.ok()) return text.error();
    return ParseOpenClipConfig(*text, oc.string());
  }
  return NotFound(model_dir.string() +
                  ": no config.json (Hugging Face) or open_clip_config.json (OpenCLIP) found");
}

}  // namespace photomap::model
