// EncoderSpec: PhotoMapAI's "<backend>:<model>" encoder strings, parsed and mapped to downloads.
//
// A spec names the model an album is indexed with (openai-clip:ViT-B/32,
// open-clip:ViT-L-14/dfn2b_s39b, siglip:google/siglip2-large-patch16-256, ...). This file knows
// which Hugging Face repository holds each one, which files to fetch, the family's default
// search-score floor and the host default; everything about the network itself is in the model
// store. Plain data and pure functions; thread-safe.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "util/status.h"

namespace photomap::model {

enum class EncoderFamily { kOpenAiClip, kOpenClip, kSiglip, kClassic };

// Returns "openai-clip", "open-clip", "siglip" or "classic".
const char* EncoderFamilyName(EncoderFamily family);

// One file of a model download: fetched from <hub>/<repo>/resolve/main/<path> and stored in the
// model directory under its base name.
struct ModelFile {
  std::string repo;
  std::string path;
  bool required = true;  // optional files are skipped when the hub answers 404
};

struct EncoderSpec {
  std::string spec;  // canonical text, e.g. "open-clip:ViT-L-14/dfn2b_s39b" (the model_id)
  EncoderFamily family = EncoderFamily::kOpenAiClip;
  std::string model;    // after the first ':': "ViT-B/32", "ViT-L-14/dfn2b_s39b", "google/..."
  std::string hf_repo;  // e.g. "openai/clip-vit-base-patch32"; empty for classic
  // What to download. OpenCLIP repositories carry no vocab.json / merges.txt; theirs is the
  // OpenAI CLIP vocabulary, so those two come from openai/clip-vit-base-patch32.
  std::vector<ModelFile> files;
  // Where a repository may hold its weights in more than one layout, the alternatives in order
  // of preference (local file names). Their files are listed in `files` as optional; a pull
  // stops at the first complete alternative and fails if none is. Empty: `files` says it all.
  std::vector<std::vector<std::string>> weight_alternatives;
  // An OpenCLIP repository: open_clip_config.json is always fetched (preprocessing, and the
  // weights' config when there is no transformers copy).
  bool open_clip_format = false;
  // Activation PhotoMapAI's loader actually ran this checkpoint with, when that differs from what
  // the checkpoint was trained with ("gelu" for open-clip:ViT-L-14/dfn2b_s39b, see
  // docs/models.md). Empty when the model's own config is authoritative.
  std::string photomapai_activation;
};

// Parses and validates a spec string. Returns InvalidInput with a message that shows the
// expected form for: no ':' or an empty model ("... missing a model identifier"), an unknown
// backend ("Unknown encoder backend ..."), an open-clip spec without "/<pretrained>", an
// openai-clip variant that is not a ViT (ResNet CLIPs are Unsupported), or a model id with
// characters that cannot be part of a repository path. An empty spec means the GPU default
// (as PhotoMapAI's build_encoder does).
Result<EncoderSpec> ParseEncoderSpec(std::string_view spec);

// Album-level defaults (a new album's spec, the per-family score floor) live in config/album.h.

// The specs `photomap models list` offers (the ones known to map to a repository).
std::vector<std::string> KnownEncoderSpecs();

}  // namespace photomap::model
