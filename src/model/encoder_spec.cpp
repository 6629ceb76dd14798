#include "model/encoder_spec.h"

#include <array>

namespace photomap::model {
namespace {

constexpr char kGpuDefault[] = "open-clip:ViT-L-14/dfn2b_s39b";
constexpr char kCpuDefault[] = "openai-clip:ViT-B/32";
constexpr char kClipVocabRepo[] = "openai/clip-vit-base-patch32";

struct Mapping {
  const char* model;
  const char* repo;
};

// clip.available_models() ViT variants -> transformers-format repositories.
constexpr std::array<Mapping, 4> kOpenAi = {{
    {"ViT-B/32", "openai/clip-vit-base-patch32"},
    {"ViT-B/16", "openai/clip-vit-base-patch16"},
    {"ViT-L/14", "openai/clip-vit-large-patch14"},
    {"ViT-L/14@336px", "openai/clip-vit-large-patch14-336"},
}};

// open_clip pretrained tags -> the hf_hub repositories open_clip itself downloads from.
constexpr std::array<Mapping, 14> kOpenClip = {{
    {"ViT-L-14/dfn2b_s39b", "apple/DFN2B-CLIP-ViT-L-14-39B"},
    {"ViT-L-14/dfn2b", "apple/DFN2B-CLIP-ViT-L-14"},
    {"ViT-B-16/dfn2b", "apple/DFN2B-CLIP-ViT-B-16"},
    {"ViT-H-14/dfn5b", "apple/DFN5B-CLIP-ViT-H-14"},
    {"ViT-B-32/laion2b_s34b_b79k", "laion/CLIP-ViT-B-32-laion2B-s34B-b79K"},
    {"ViT-B-16/laion2b_s34b_b88k", "laion/CLIP-ViT-B-16-laion2B-s34B-b88K"},
    {"ViT-L-14/laion2b_s32b_b82k", "laion/CLIP-ViT-L-14-laion2B-s32B-b82K"},
    {"ViT-H-14/laion2b_s32b_b79k", "laion/CLIP-ViT-H-14-laion2B-s32B-b79K"},
    {"ViT-g-14/laion2b_s34b_b88k", "laion/CLIP-ViT-g-14-laion2B-s34B-b88K"},
    {"ViT-B-32/datacomp_xl_s13b_b90k", "laion/CLIP-ViT-B-32-DataComp.XL-s13B-b90K"},
    {"ViT-B-16/datacomp_xl_s13b_b90k", "laion/CLIP-ViT-B-16-DataComp.XL-s13B-b90K"},
    {"ViT-L-14/datacomp_xl_s13b_b90k", "laion/CLIP-ViT-L-14-DataComp.XL-s13B-b90K"},
    {"ViT-B-32/openai", "openai/clip-vit-base-patch32"},
    {"ViT-L-14/openai", "openai/clip-vit-large-patch14"},
}};

constexpr std::array<const char*, 4> kSiglipExamples = {
    "siglip:google/siglip2-large-patch16-256", "siglip:google/siglip2-base-patch16-224",
    "siglip:google/siglip-base-patch16-224", "siglip:google/siglip-so400m-patch14-384"};

bool IsRepoChar(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
         c == '_' || c == '.';
}

// "owner/name" with Hugging Face's allowed characters and no "..".
bool IsValidRepoId(std::string_view id) {
  size_t slash = id.find('/');
  if (slash == std::string_view::npos || slash == 0 || slash + 1 == id.size()) return false;
  if (id.find('/', slash + 1) != std::string_view::npos) return false;
  if (id.find("..") != std::string_view::npos || id.front() == '.') return false;
  for (char c : id) {
    if (c != '/' && !IsRepoChar(c)) return false;
  }
  return true;
}

const char* Lookup(const auto& table, std::string_view model) {
  for (const Mapping& m : table) {
    if (model == m.model) return m.repo;
  }
  return nullptr;
}

void AddHfClipFiles(EncoderSpec& s) {
  for (const char* f : {"config.json", "model.safetensors", "vocab.json", "merges.txt",
                        "preprocessor_config.json"}) {
    s.files.push_back({s.hf_repo, f, true});
  }
  s.files.push_back({s.hf_repo, "tokenizer_config.json", false});
}

Status ParseOpenAi(EncoderSpec& s) {
  const char* repo = Lookup(kOpenAi, s.model);
  if (repo == nullptr) {
    if (s.model.rfind("RN", 0) == 0) {
      return Unsupported("encoder spec '" + s.spec +
                         "': ResNet CLIP models are not supported; use a ViT variant such as "
                         "openai-clip:ViT-B/32");
    }
    return InvalidInput("encoder spec '" + s.spec +
                        "': unknown OpenAI CLIP variant; expected one of ViT-B/32, ViT-B/16, "
                        "ViT-L/14, ViT-L/14@336px");
  }
  s.hf_repo = repo;
  AddHfClipFiles(s);
  return Status::Ok();
}

Status ParseOpenClip(EncoderSpec& s) {
  size_t slash = s.model.find('/');
  if (slash == std::string::npos || slash == 0 || slash + 1 == s.model.size()) {
    return InvalidInput("encoder spec '" + s.spec +
                        "': OpenCLIP specs need a pretrained tag, as in "
                        "open-clip:ViT-L-14/dfn2b_s39b");
  }
  const char* repo = Lookup(kOpenClip, s.model);
  if (repo == nullptr) {
    return Unsupported("encoder spec '" + s.spec +
                       "': no known Hugging Face repository for this OpenCLIP model; download it "
                       "yourself and pass its directory with --model");
  }
  s.hf_repo = repo;
  if (s.hf_repo.rfind("openai/", 0) == 0) {  // OpenAI weights in transformers format
    AddHfClipFiles(s);
    return Status::Ok();
  }
  // OpenCLIP hub repositories always carry open_clip_config.json; most (LAION, DFN2B-39B) also
  // carry a transformers copy of the weights, which is preferred, else open_clip's safetensors.
  s.open_clip_format = true;
  s.files.push_back({s.hf_repo, "open_clip_config.json", true});
  s.files.push_back({s.hf_repo, "config.json", false});
  s.files.push_back({s.hf_repo, "model.safetensors", false});
  s.files.push_back({s.hf_repo, "open_clip_model.safetensors", false});
  s.files.push_back({s.hf_repo, "preprocessor_config.json", false});
  s.weight_alternatives = {{"config.json", "model.safetensors"}, {"open_clip_model.safetensors"}};
  s.files.push_back({kClipVocabRepo, "vocab.json", true});
  s.files.push_back({kClipVocabRepo, "merges.txt", true});
  // PhotoMapAI builds this checkpoint under the plain ViT-L-14 config, i.e. with GELU, although
  // DFN was trained with QuickGELU (backend-spec §4.4 / §12 item 10; docs/models.md).
  if (s.model == "ViT-L-14/dfn2b_s39b") s.photomapai_activation = "gelu";
  return Status::Ok();
}

Status ParseSiglip(EncoderSpec& s) {
  if (!IsValidRepoId(s.model)) {
    return InvalidInput("encoder spec '" + s.spec +
                        "': SigLIP specs name a Hugging Face repository, as in "
                        "siglip:google/siglip2-large-patch16-256");
  }
  s.hf_repo = s.model;
  for (const char* f : {"config.json", "model.safetensors", "preprocessor_config.json"}) {
    s.files.push_back({s.hf_repo, f, true});
  }
  // SigLIP ships spiece.model; SigLIP 2 uses the Gemma tokenizer.model.
  const bool v2 = s.model.find("siglip2") != std::string::npos;
  s.files.push_back({s.hf_repo, v2 ? "tokenizer.model" : "spiece.model", true});
  s.files.push_back({s.hf_repo, "tokenizer_config.json", false});
  s.files.push_back({s.hf_repo, "special_tokens_map.json", false});
  return Status::Ok();
}

}  // namespace

const char* EncoderFamilyName(EncoderFamily family) {
  switch (family) {
    case EncoderFamily::kOpenAiClip:
      return "openai-clip";
    case EncoderFamily::kOpenClip:
      return "open-clip";
    case EncoderFamily::kSiglip:
      return "siglip";
    case EncoderFamily::kClassic:
      return "classic";
  }
  return "unknown";
}

Result<EncoderSpec> ParseEncoderSpec(std::string_view text) {
  EncoderSpec s;
  s.spec = text.empty() ? std::string(kGpuDefault) : std::string(text);
  size_t colon = s.spec.find(':');
  std::string backend = s.spec.substr(0, colon);
  s.model = colon == std::string::npos ? "" : s.spec.substr(colon + 1);
  const bool known = backend == "openai-clip" || backend == "open-clip" || backend == "siglip" ||
                     backend == "classic";
  if (colon == std::string::npos && !known) {
    return InvalidInput("Unknown encoder backend '" + backend +
                        "'; expected <backend>:<model> with backend openai-clip, open-clip, "
                        "siglip or classic");
  }
  if (s.model.empty()) {
    return InvalidInput("encoder spec '" + s.spec + "' is missing a model identifier, as in " +
                        kCpuDefault);
  }
  if (backend == "openai-clip") {
    s.family = EncoderFamily::kOpenAiClip;
    PHOTOMAP_RETURN_IF_ERROR(ParseOpenAi(s));
  } else if (backend == "open-clip") {
    s.family = EncoderFamily::kOpenClip;
    PHOTOMAP_RETURN_IF_ERROR(ParseOpenClip(s));
  } else if (backend == "siglip") {
    s.family = EncoderFamily::kSiglip;
    PHOTOMAP_RETURN_IF_ERROR(ParseSiglip(s));
  } else if (backend == "classic") {
    s.family = EncoderFamily::kClassic;
    if (s.model != "v1") {
      return InvalidInput("encoder spec '" + s.spec + "': the classic encoder has only v1");
    }
  } else {
    return InvalidInput("Unknown encoder backend '" + backend + "' in '" + s.spec +
                        "'; expected openai-clip, open-clip, siglip or classic");
  }
  return s;
}

std::vector<std::string> KnownEncoderSpecs() {
  std::vector<std::string> out;
  for (const Mapping& m : kOpenAi) out.push_back(std::string("openai-clip:") + m.model);
  for (const Mapping& m : kOpenClip) out.push_back(std::string("open-clip:") + m.model);
  for (const char* s : kSiglipExamples) out.push_back(s);
  out.push_back("classic:v1");
  return out;
}

}  // namespace photomap::model
