#include "media/invokeai_metadata.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <initializer_list>
#include <limits>
#include <sstream>
#include <utility>

namespace photomap::media {
namespace {

using nlohmann::json;

constexpr size_t kMaxJsonDepth = 64;  // InvokeAI nests about 8 deep; deeper is hostile input

const json* Get(const json& obj, std::initializer_list<const char*> keys) {
  if (!obj.is_object()) return nullptr;
  for (const char* key : keys) {
    const auto it = obj.find(key);
    if (it != obj.end() && !it->is_null()) return &*it;
  }
  return nullptr;
}

std::string Str(const json* v) {
  return v != nullptr && v->is_string() ? v->get<std::string>() : "";
}

std::optional<double> Num(const json* v) {
  if (v == nullptr || !v->is_number()) return std::nullopt;
  const double d = v->get<double>();
  return std::isfinite(d) ? std::optional<double>(d) : std::nullopt;
}

std::optional<int64_t> Int(const json* v) {
  if (v == nullptr) return std::nullopt;
  if (v->is_number_unsigned()) {
    const auto u = v->get<uint64_t>();
    if (u <= static_cast<uint64_t>(std::numeric_limits<int64_t>::max()))
      return static_cast<int64_t>(u);
    return std::nullopt;
  }
  if (v->is_number_integer()) return v->get<int64_t>();
  if (v->is_number_float()) {
    const double d = v->get<double>();
    if (std::isfinite(d) && d == std::floor(d) && std::fabs(d) < 9.0e18)
      return static_cast<int64_t>(d);
  }
  return std::nullopt;
}

// A model reference: a plain string or {name | model_name, base | base_model, ...}.
std::string ModelName(const json* model) {
  if (model == nullptr) return "";
  if (model->is_string()) return model->get<std::string>();
  return Str(Get(*model, {"name", "model_name"}));
}

// An image reference: {image_name | name} names a file; {dataURL} has no name.
std::string ImageName(const json* image) {
  if (image == nullptr || !image->is_object()) return "";
  return Str(Get(*image, {"image_name", "name"}));
}

// The weight column: a numeric weight, else a categorical image influence, else null.
json WeightOf(const json& adapter, std::initializer_list<const char*> weight_keys) {
  if (const json* w = Get(adapter, weight_keys); w != nullptr && w->is_number()) return *w;
  if (const json* s = Get(adapter, {"imageInfluence", "image_influence"}); s && s->is_string()) {
    return *s;
  }
  return nullptr;
}

bool IsEnabled(const json& item, bool default_value) {
  const json* e = Get(item, {"isEnabled", "is_enabled"});
  if (e == nullptr) return default_value;
  return e->is_boolean() ? e->get<bool>() : default_value;
}

void ParseLoras(const json& raw, InvokeMetadata& meta) {
  const json* loras = Get(raw, {"loras"});
  if (loras == nullptr || !loras->is_array()) return;
  for (const json& l : *loras) {
    if (!l.is_object()) continue;
    InvokeLora lora{ModelName(Get(l, {"lora", "model"})), Num(Get(l, {"weight"}))};
    if (!lora.model_name.empty() || lora.weight) meta.loras.push_back(std::move(lora));
  }
}

void ParseCommonScalars(const json& raw, InvokeMetadata& meta) {
  meta.positive_prompt = Str(Get(raw, {"positive_prompt", "Positive Prompt"}));
  meta.negative_prompt = Str(Get(raw, {"negative_prompt"}));
  const json* model = Get(raw, {"model", "Model"});
  meta.model_name = ModelName(model);
  if (model != nullptr && model->is_object())
    meta.model_base = Str(Get(*model, {"base", "base_model"}));
  meta.seed = Int(Get(raw, {"seed"}));
  meta.steps = Int(Get(raw, {"steps", "Steps"}));
  meta.cfg_scale = Num(Get(raw, {"cfg_scale"}));
  meta.scheduler = Str(Get(raw, {"scheduler"}));
  meta.width = Int(Get(raw, {"width"}));
  meta.height = Int(Get(raw, {"height"}));
  meta.generation_mode = Str(Get(raw, {"generation_mode"}));
}

void ParseV2(const json& raw, InvokeMetadata& meta) {
  const json* image = Get(raw, {"image"});
  if (image != nullptr && image->is_object()) {
    const json* prompt = Get(*image, {"prompt"});
    if (prompt != nullptr && prompt->is_array()) {
      if (!prompt->empty()) meta.positive_prompt = Str(Get(prompt->front(), {"prompt"}));
    } else {
      meta.positive_prompt = Str(prompt);
    }
    meta.seed = Int(Get(*image, {"seed"}));
    meta.steps = Int(Get(*image, {"steps"}));
    meta.cfg_scale = Num(Get(*image, {"cfg_scale"}));
    meta.scheduler = Str(Get(*image, {"sampler"}));
    meta.width = Int(Get(*image, {"width"}));
    meta.height = Int(Get(*image, {"height"}));
    meta.generation_mode = Str(Get(*image, {"type"}));
  }
  meta.model_name = Str(Get(raw, {"model_weights"}));
  if (meta.model_name.empty()) meta.model_name = Str(Get(raw, {"model"}));
}

void ParseV3(const json& raw, InvokeMetadata& meta) {
  ParseCommonScalars(raw, meta);
  ParseLoras(raw, meta);
  if (const json* ipas = Get(raw, {"ipAdapters", "ip_adapters"}); ipas && ipas->is_array()) {
    for (const json& ipa : *ipas) {
      const json* model =
          Get(ipa, {"model", "ip_adapter_model", "clip_vision_model", "t2i_adapter_model"});
      meta.reference_images.push_back(
          {ModelName(model), ImageName(Get(ipa, {"image"})), WeightOf(ipa, {"weight"})});
    }
  }
  if (const json* cns = Get(raw, {"controlnets"}); cns && cns->is_array()) {
    for (const json& cn : *cns) {
      meta.control_layers.push_back({ModelName(Get(cn, {"control_model", "model"})),
                                     ImageName(Get(cn, {"image"})),
                                     WeightOf(cn, {"control_weight", "weight"})});
    }
  }
}

void ParseV5References(const json& raw, InvokeMetadata& meta) {
  const json* refs = Get(raw, {"ref_images"});
  if (refs != nullptr && refs->is_array() && !refs->empty()) {
    const json& list = refs->front().is_array() ? refs->front() : *refs;  // list-of-lists form
    for (const json& ref : list) {
      if (!ref.is_object() || !IsEnabled(ref, false)) continue;
      const json* config = Get(ref, {"config"});
      if (config == nullptr) continue;
      const json* image = Get(*config, {"image"});
      if (const json* original = image ? Get(*image, {"original"}) : nullptr) {
        if (const json* inner = Get(*original, {"image"})) image = inner;
      }
      const json* model = Get(*config, {"model"});
      meta.reference_images.push_back(
          {ModelName(model), ImageName(image),
           model == nullptr ? json(nullptr) : WeightOf(*config, {"weight"})});
    }
    return;
  }
  const json* canvas = Get(raw, {"canvas_v2_metadata"});
  const json* canvas_refs = canvas ? Get(*canvas, {"referenceImages"}) : nullptr;
  if (canvas_refs == nullptr || !canvas_refs->is_array()) return;
  for (const json& ref : *canvas_refs) {
    if (!ref.is_object() || !IsEnabled(ref, true)) continue;
    const json* ipa = Get(ref, {"ipAdapter"});
    if (ipa == nullptr) continue;
    meta.reference_images.push_back({ModelName(Get(*ipa, {"model"})),
                                     ImageName(Get(*ipa, {"image"})), WeightOf(*ipa, {"weight"})});
  }
}

void ParseV5Controls(const json& raw, InvokeMetadata& meta) {
  // Legacy top-level controlnets become control layers, as PhotoMapAI's v5 model does.
  if (const json* cns = Get(raw, {"controlnets"}); cns && cns->is_array() && !cns->empty()) {
    for (const json& cn : *cns) {
      if (!cn.is_object() || !IsEnabled(cn, true)) continue;
      meta.control_layers.push_back({ModelName(Get(cn, {"control_model", "model"})),
                                     ImageName(Get(cn, {"image"})),
                                     WeightOf(cn, {"control_weight", "weight"})});
    }
    return;
  }
  const json* layers_obj = Get(raw, {"control_layers"});
  const json* layers = layers_obj ? Get(*layers_obj, {"layers"}) : nullptr;
  if (layers != nullptr && layers->is_array() && !layers->empty()) {
    for (const json& layer : *layers) {
      const json* adapter = Get(layer, {"ipAdapter", "controlAdapter"});
      if (!IsEnabled(layer, false) || adapter == nullptr) continue;
      meta.control_layers.push_back({ModelName(Get(*adapter, {"model", "control_model"})),
                                     ImageName(Get(*adapter, {"image"})),
                                     WeightOf(*adapter, {"weight", "control_weight"})});
    }
    return;
  }
  const json* canvas = Get(raw, {"canvas_v2_metadata"});
  const json* canvas_layers = canvas ? Get(*canvas, {"controlLayers"}) : nullptr;
  if (canvas_layers == nullptr || !canvas_layers->is_array()) return;
  for (const json& layer : *canvas_layers) {
    if (!layer.is_object() || !IsEnabled(layer, false)) continue;
    const json* adapter = Get(layer, {"controlAdapter"});
    std::string names;
    if (const json* objects = Get(layer, {"objects"}); objects && objects->is_array()) {
      for (const json& obj : *objects) {
        const std::string name = ImageName(Get(obj, {"image"}));
        if (name.empty()) continue;
        names += (names.empty() ? "" : ", ") + name;
      }
    }
    meta.control_layers.push_back(
        {adapter ? ModelName(Get(*adapter, {"model", "control_model"})) : "", names,
         adapter ? WeightOf(*adapter, {"weight", "control_weight"}) : json(nullptr)});
  }
}

void ParseV5Rasters(const json& raw, InvokeMetadata& meta) {
  const json* canvas = Get(raw, {"canvas_v2_metadata"});
  const json* layers = canvas ? Get(*canvas, {"rasterLayers"}) : nullptr;
  if (layers == nullptr || !layers->is_array()) return;
  for (const json& layer : *layers) {
    if (!layer.is_object() || !IsEnabled(layer, false)) continue;
    const json* objects = Get(layer, {"objects"});
    if (objects == nullptr || !objects->is_array()) continue;
    for (const json& obj : *objects) {
      const std::string name = ImageName(Get(obj, {"image"}));
      if (!name.empty()) meta.raster_images.push_back(name);
    }
  }
}

bool StartsWithAny(const std::string& s, std::initializer_list<const char*> prefixes) {
  for (const char* p : prefixes) {
    if (s.rfind(p, 0) == 0) return true;
  }
  return false;
}

json AdaptersToJson(const std::vector<InvokeImageAdapter>& adapters) {
  json out = json::array();
  for (const auto& a : adapters) {
    out.push_back(
        {{"model_name", a.model_name}, {"image_name", a.image_name}, {"weight", a.weight}});
  }
  return out;
}

template <typename T>
json OptionalToJson(const std::optional<T>& v) {
  return v ? json(*v) : json(nullptr);
}

// Depth of the deepest container, computed without recursion (hostile JSON can nest millions deep).
size_t JsonDepth(const json& root) {
  size_t max_depth = 0;
  std::vector<std::pair<const json*, size_t>> stack{{&root, 1}};
  while (!stack.empty()) {
    auto [node, depth] = stack.back();
    stack.pop_back();
    if (!node->is_structured()) continue;
    max_depth = std::max(max_depth, depth);
    if (max_depth > kMaxJsonDepth) return max_depth;
    for (const json& child : *node) stack.push_back({&child, depth + 1});
  }
  return max_depth;
}

}  // namespace

int InferInvokeVersion(const json& raw, bool* inferred) {
  if (inferred) *inferred = false;
  if (const json* v = Get(raw, {"metadata_version"})) {
    if (const std::optional<int64_t> n = Int(v); n && (*n == 2 || *n == 3 || *n == 5)) {
      return static_cast<int>(*n);
    }
  }
  if (inferred) *inferred = true;
  const json* app = Get(raw, {"app_version", "imported_app_version"});
  if (app != nullptr && app->is_string()) {
    const std::string version = app->get<std::string>();
    if (StartsWithAny(version, {"v1.", "1.", "2.", "v2."})) return 2;
    if (StartsWithAny(version, {"3.", "v3."})) {
      const json* model = Get(raw, {"model"});
      return model != nullptr && model->is_string() ? 2 : 3;
    }
    return 5;
  }
  if (Get(raw, {"canvas_v2_metadata"})) return 5;
  if (Get(raw, {"model_weights"})) return 2;
  return 3;
}

Result<InvokeMetadata> ParseInvokeMetadata(const json& raw) {
  if (!raw.is_object()) return Corrupt("InvokeAI metadata: expected a JSON object");
  if (JsonDepth(raw) > kMaxJsonDepth) {
    return Corrupt("InvokeAI metadata: nested deeper than " + std::to_string(kMaxJsonDepth) +
                   " levels");
  }
  InvokeMetadata meta;
  meta.version = InferInvokeVersion(raw, &meta.version_inferred);
  meta.app_version = Str(Get(raw, {"app_version", "imported_app_version"}));
  if (meta.version == 2) {
    ParseV2(raw, meta);
  } else if (meta.version == 3) {
    ParseV3(raw, meta);
  } else {
    ParseCommonScalars(raw, meta);
    ParseLoras(raw, meta);
    ParseV5References(raw, meta);
    ParseV5Controls(raw, meta);
    ParseV5Rasters(raw, meta);
  }
  const bool has_any = !meta.positive_prompt.empty() || !meta.model_name.empty() || meta.seed ||
                       meta.steps || !meta.loras.empty() || !meta.reference_images.empty() ||
                       !meta.control_layers.empty() || !meta.raster_images.empty() ||
                       Get(raw, {"canvas_v2_metadata"}) != nullptr;
  if (!has_any) {
    return Corrupt("InvokeAI metadata: no prompt, model, seed or canvas found in the JSON");
  }
  return meta;
}

json InvokeMetadataToJson(const InvokeMetadata& m) {
  json loras = json::array();
  for (const auto& l : m.loras)
    loras.push_back({{"model_name", l.model_name}, {"weight", OptionalToJson(l.weight)}});
  return {
      {"version", m.version},
      {"version_inferred", m.version_inferred},
      {"app_version", m.app_version},
      {"generation_mode", m.generation_mode},
      {"positive_prompt", m.positive_prompt},
      {"negative_prompt", m.negative_prompt},
      {"model_name", m.model_name},
      {"model_base", m.model_base},
      {"seed", OptionalToJson(m.seed)},
      {"steps", OptionalToJson(m.steps)},
      {"cfg_scale", OptionalToJson(m.cfg_scale)},
      {"scheduler", m.scheduler},
      {"width", OptionalToJson(m.width)},
      {"height", OptionalToJson(m.height)},
      {"loras", std::move(loras)},
      {"reference_images", AdaptersToJson(m.reference_images)},
      {"control_layers", AdaptersToJson(m.control_layers)},
      {"raster_images", m.raster_images},
  };
}

Result<DreamCommand> ParseDreamCommand(std::string_view command) {
  DreamCommand dream;
  std::string_view rest = command;
  while (!rest.empty() && rest.front() == ' ') rest.remove_prefix(1);
  if (!rest.empty() && (rest.front() == '"' || rest.front() == '\'')) {
    const char quote = rest.front();
    const size_t end = rest.find(quote, 1);
    if (end == std::string_view::npos) return Corrupt("Dream command: unterminated quoted prompt");
    dream.prompt = std::string(rest.substr(1, end - 1));
    rest.remove_prefix(end + 1);
  } else {
    // The prompt runs up to the first " -x" switch.
    size_t end = rest.size();
    for (size_t i = 0; i + 1 < rest.size(); ++i) {
      if ((i == 0 || rest[i - 1] == ' ') && rest[i] == '-' &&
          std::isalpha(static_cast<unsigned char>(rest[i + 1]))) {
        end = i;
        break;
      }
    }
    dream.prompt = std::string(rest.substr(0, end));
    while (!dream.prompt.empty() && dream.prompt.back() == ' ') dream.prompt.pop_back();
    rest.remove_prefix(end);
  }
  if (dream.prompt.empty()) return Corrupt("Dream command: no prompt");
  std::istringstream in{std::string(rest)};
  std::string flag, value;
  while (in >> flag) {
    if (flag.size() < 2 || flag[0] != '-' || !(in >> value)) continue;
    try {
      if (flag == "-s" || flag == "--steps")
        dream.steps = std::stoll(value);
      else if (flag == "-S" || flag == "--seed")
        dream.seed = std::stoll(value);
      else if (flag == "-W" || flag == "--width")
        dream.width = std::stoll(value);
      else if (flag == "-H" || flag == "--height")
        dream.height = std::stoll(value);
      else if (flag == "-C" || flag == "--cfg_scale")
        dream.cfg_scale = std::stod(value);
      else if (flag == "-A" || flag == "--sampler")
        dream.sampler = value;
    } catch (const std::exception&) {
      // A malformed number leaves that field unset; the rest of the command still counts.
    }
  }
  return dream;
}

json DreamCommandToJson(const DreamCommand& d) {
  return {{"prompt", d.prompt},
          {"steps", OptionalToJson(d.steps)},
          {"seed", OptionalToJson(d.seed)},
          {"width", OptionalToJson(d.width)},
          {"height", OptionalToJson(d.height)},
          {"cfg_scale", OptionalToJson(d.cfg_scale)},
          {"sampler", d.sampler}};
}

std::optional<InvokeJson> FindInvokeJson(const std::vector<PngTextChunk>& chunks,
                                         std::vector<std::string>* warnings) {
  for (const char* key : kInvokeMetadataKeys) {
    const PngTextChunk* last = nullptr;
    for (const PngTextChunk& c : chunks) {
      if (c.keyword == key) last = &c;
    }
    if (last == nullptr) continue;
    json parsed = json::parse(last->text, nullptr, /*allow_exceptions=*/false);
    std::string problem;
    if (parsed.is_discarded()) {
      problem = "is not valid JSON";
    } else if (!parsed.is_object()) {
      problem = "is JSON but not an object";
    } else if (JsonDepth(parsed) > kMaxJsonDepth) {
      problem = "is nested deeper than " + std::to_string(kMaxJsonDepth) + " levels";
    }
    if (problem.empty()) return InvokeJson{key, std::move(parsed)};
    if (warnings)
      warnings->push_back(std::string("text chunk '") + key + "' " + problem + "; ignored");
  }
  return std::nullopt;
}

}  // namespace photomap::media
