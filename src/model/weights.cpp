#include "model/weights.h"

#include <fstream>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>
#include <unordered_map>

#include "model/safetensors.h"

namespace photomap::model {

namespace {

bool StartsWith(const std::string& s, const std::string& p) { return s.rfind(p, 0) == 0; }

// One or more safetensors files, indexed by tensor name.
class ShardSet {
 public:
  Status Add(SafetensorsFile file) {
    files_.push_back(std::make_unique<SafetensorsFile>(std::move(file)));
    for (const auto& name : files_.back()->Names()) index_[name] = files_.back().get();
    return Status::Ok();
  }
  const SafetensorsFile* FileFor(const std::string& name) const {
    auto it = index_.find(name);
    return it == index_.end() ? nullptr : it->second;
  }
  std::string label() const {
    std::string s;
    for (const auto& f : files_) s += (s.empty() ? "" : ", ") + f->label();
    return s;
  }
  Result<Tensor> Load(const std::string& name, const std::vector<int64_t>& shape) const {
    const SafetensorsFile* f = FileFor(name);
    if (f == nullptr) {
      return NotFound(label() + ": tensor '" + name + "' not found (expected shape " +
                      ShapeString(shape) + ")");
    }
    return f->Load(name, shape);
  }
  Result<Tensor> LoadAnyShape(const std::string& name) const {
    const SafetensorsFile* f = FileFor(name);
    if (f == nullptr) return NotFound(label() + ": tensor '" + name + "' not found");
    return f->Load(name);
  }

 private:
  std::vector<std::unique_ptr<SafetensorsFile>> files_;
  std::unordered_map<std::string, const SafetensorsFile*> index_;
};

Result<ShardSet> OpenShards(const std::filesystem::path& dir,
                            const std::vector<std::string>& single_names,
                            const std::string& index_name) {
  std::error_code ec;
  ShardSet set;
  for (const auto& name : single_names) {
    if (std::filesystem::is_regular_file(dir / name, ec)) {
      auto f = SafetensorsFile::Open(dir / name);
      if (!f.ok()) return f.error();
      PHOTOMAP_RETURN_IF_ERROR(set.Add(std::move(f).value()));
      return set;
    }
  }
  auto index_path = dir / index_name;
  if (!index_name.empty() && std::filesystem::is_regular_file(index_path, ec)) {
    std::ifstream in(index_path, std::ios::binary);
    std::stringstream ss;
    ss << in.rdbuf();
    auto j = nlohmann::json::parse(ss.str(), nullptr, false);
    if (j.is_discarded() || !j.is_object() || !j.contains("weight_map") ||
        !j["weight_map"].is_object()) {
      return Corrupt(index_path.string() + ": not a safetensors index (no weight_map object)");
    }
    std::set<std::string> shards;
    for (const auto& [k, v] : j["weight_map"].items()) {
      if (!v.is_string())
        return Corrupt(index_path.string() + ": weight_map." + k + " not a string");
      std::string shard = v.get<std::string>();
      if (shard.find('/') != std::string::npos || shard.find("..") != std::string::npos) {
        return Corrupt(index_path.string() + ": shard name '" + shard +
                       "' is not a plain file name");
      }
      shards.insert(shard);
    }
    for (const auto& shard : shards) {
      auto f = SafetensorsFile::Open(dir / shard);
      if (!f.ok()) return f.error();
      PHOTOMAP_RETURN_IF_ERROR(set.Add(std::move(f).value()));
    }
    return set;
  }
  std::string expected;
  for (const auto& n : single_names) expected += (expected.empty() ? "" : " or ") + n;
  if (!index_name.empty()) expected += " or " + index_name;
  return NotFound(dir.string() + ": no weights found (expected " + expected + ")");
}

class HfWeights final : public WeightSource {
 public:
  explicit HfWeights(ShardSet set) : set_(std::move(set)) {}
  std::string label() const override { return set_.label(); }
  bool Contains(const std::string& n) const override { return set_.FileFor(n) != nullptr; }
  Result<Tensor> Load(const std::string& n, const std::vector<int64_t>& shape) const override {
    return set_.Load(n, shape);
  }

 private:
  ShardSet set_;
};

struct OpenClipMapping {
  std::string name;
  enum Kind { kDirect, kSlice, kTranspose } kind = kDirect;
  int slice = 0;  // 0 = q, 1 = k, 2 = v
};

OpenClipMapping MapToOpenClip(const std::string& hf) {
  OpenClipMapping m;
  static const std::pair<const char*, const char*> kFixed[] = {
      {"vision_model.embeddings.class_embedding", "visual.class_embedding"},
      {"vision_model.embeddings.patch_embedding.weight", "visual.conv1.weight"},
      {"vision_model.embeddings.position_embedding.weight", "visual.positional_embedding"},
      {"vision_model.pre_layrnorm.weight", "visual.ln_pre.weight"},
      {"vision_model.pre_layrnorm.bias", "visual.ln_pre.bias"},
      {"vision_model.post_layernorm.weight", "visual.ln_post.weight"},
      {"vision_model.post_layernorm.bias", "visual.ln_post.bias"},
      {"text_model.embeddings.token_embedding.weight", "token_embedding.weight"},
      {"text_model.embeddings.position_embedding.weight", "positional_embedding"},
      {"text_model.final_layer_norm.weight", "ln_final.weight"},
      {"text_model.final_layer_norm.bias", "ln_final.bias"},
      {"logit_scale", "logit_scale"},
  };
  for (const auto& [from, to] : kFixed) {
    if (hf == from) {
      m.name = to;
      return m;
    }
  }
  if (hf == "visual_projection.weight") return {"visual.proj", OpenClipMapping::kTranspose, 0};
  if (hf == "text_projection.weight") return {"text_projection", OpenClipMapping::kTranspose, 0};

  std::string prefix;
  std::string rest;
  const std::string vis = "vision_model.encoder.layers.";
  const std::string txt = "text_model.encoder.layers.";
  if (StartsWith(hf, vis)) {
    prefix = "visual.transformer.resblocks.";
    rest = hf.substr(vis.size());
  } else if (StartsWith(hf, txt)) {
    prefix = "transformer.resblocks.";
    rest = hf.substr(txt.size());
  } else {
    return m;  // no counterpart
  }
  size_t dot = rest.find('.');
  if (dot == std::string::npos) return m;
  std::string layer = rest.substr(0, dot + 1);  // "N."
  std::string leaf = rest.substr(dot + 1);
  std::string base = prefix + layer;
  static const std::pair<const char*, const char*> kLeaf[] = {
      {"layer_norm1.", "ln_1."},
      {"layer_norm2.", "ln_2."},
      {"self_attn.out_proj.", "attn.out_proj."},
      {"mlp.fc1.", "mlp.c_fc."},
      {"mlp.fc2.", "mlp.c_proj."},
  };
  for (const auto& [from, to] : kLeaf) {
    if (StartsWith(leaf, from)) {
      m.name = base + to + leaf.substr(std::string(from).size());
      return m;
    }
  }
  static const char* kQkv[] = {"self_attn.q_proj.", "self_attn.k_proj.", "self_attn.v_proj."};
  for (int i = 0; i < 3; ++i) {
    if (StartsWith(leaf, kQkv[i])) {
      std::string what = leaf.substr(std::string(kQkv[i]).size());
      m.kind = OpenClipMapping::kSlice;
      m.slice = i;
      if (what == "weight") m.name = base + "attn.in_proj_weight";
      if (what == "bias") m.name = base + "attn.in_proj_bias";
      return m;
    }
  }
  return m;
}

class OpenClipWeights final : public WeightSource {
 public:
  explicit OpenClipWeights(ShardSet set) : set_(std::move(set)) {}
  std::string label() const override { return set_.label(); }
  bool Contains(const std::string& n) const override {
    auto m = MapToOpenClip(n);
    return !m.name.empty() && set_.FileFor(m.name) != nullptr;
  }
  Result<Tensor> Load(const std::string& hf, const std::vector<int64_t>& shape) const override {
    OpenClipMapping m = MapToOpenClip(hf);
    if (m.name.empty()) {
      return NotFound(label() + ": tensor '" + hf + "' has no OpenCLIP counterpart");
    }
    auto context = [&](Error e) {
      e.message += " (OpenCLIP name for '" + hf + "')";
      return e;
    };
    switch (m.kind) {
      case OpenClipMapping::kDirect: {
        auto t = set_.Load(m.name, shape);
        if (!t.ok()) return context(t.error());
        return t;
      }
      case OpenClipMapping::kTranspose: {
        if (shape.size() != 2) return Internal("transpose of non-matrix " + hf);
        auto t = set_.Load(m.name, {shape[1], shape[0]});
        if (!t.ok()) return context(t.error());
        Tensor out(shape);
        int64_t rows = shape[1], cols = shape[0];
        for (int64_t r = 0; r < rows; ++r) {
          for (int64_t c = 0; c < cols; ++c) out.data[c * rows + r] = t->data[r * cols + c];
        }
        return out;
      }
      case OpenClipMapping::kSlice: {
        std::vector<int64_t> full = shape;
        if (full.empty()) return Internal("slice of scalar " + hf);
        full[0] *= 3;
        auto t = set_.Load(m.name, full);
        if (!t.ok()) return context(t.error());
        Tensor out(shape);
        size_t n = out.size();
        std::copy(t->data.begin() + static_cast<std::ptrdiff_t>(n * m.slice),
                  t->data.begin() + static_cast<std::ptrdiff_t>(n * (m.slice + 1)),
                  out.data.begin());
        return out;
      }
    }
    return Internal("unreachable");
  }

 private:
  ShardSet set_;
};

}  // namespace

std::string OpenClipNameFor(const std::string& hf_name) { return MapToOpenClip(hf_name).name; }

Result<std::unique_ptr<WeightSource>> OpenWeights(const std::filesystem::path& model_dir,
                                                  WeightNaming naming) {
  if (naming == WeightNaming::kHuggingFace) {
    auto set = OpenShards(model_dir, {"model.safetensors"}, "model.safetensors.index.json");
    if (!set.ok()) return set.error();
    return std::unique_ptr<WeightSource>(std::make_unique<HfWeights>(std::move(set).value()));
  }
  auto set = OpenShards(model_dir, {"open_clip_model.safetensors", "model.safetensors"}, "");
  if (!set.ok()) {
    Error e = set.error();
    if (e.kind == ErrorKind::kNotFound) {
      e.message +=
          "; OpenCLIP .bin (pickle) checkpoints are not read, convert them to "
          "safetensors";
    }
    return e;
  }
  return std::unique_ptr<WeightSource>(std::make_unique<OpenClipWeights>(std::move(set).value()));
}

}  // namespace photomap::model
