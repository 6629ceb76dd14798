// Album: one entry of config.yaml, with PhotoMapAI's schema and defaults (backend-spec §2.2).
//
// A plain value type. The album key is not stored inside the YAML album mapping (it is the
// mapping's key) but is carried here for convenience. Unknown keys found in the file are kept in
// `extra_yaml` so that saving never drops what another tool wrote.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace photomap::config {

inline constexpr const char* kSourceDirectory = "directory";
inline constexpr const char* kSourceInvokeAiBoard = "invokeai_board";
inline constexpr double kMinClusterEps = 0.01;
// The spec PhotoMapAI assumes for an album whose YAML has no encoder_spec (legacy indexes).
inline constexpr const char* kLegacyEncoderSpec = "openai-clip:ViT-B/32";
// The encoder_spec of an album created without one (photomap's choice; PhotoMapAI stores its
// host default): resolved when the album is first indexed — an installed CLIP-family model,
// else the host default downloaded, else (offline) the built-in classic:v1 — and then replaced
// by what it resolved to (docs/models.md, "auto").
inline constexpr const char* kAutoEncoderSpec = "auto";

struct Album {
  std::string key;
  std::string name;
  std::string description;
  std::string source_type = kSourceDirectory;
  std::vector<std::string> image_paths;
  std::string index;               // path of the index; PhotoMapAI's `…/embeddings.npz`
  std::optional<double> umap_eps;  // null = derive the eps automatically
  std::string encoder_spec = kLegacyEncoderSpec;
  double min_search_score = 0.2;  // resolved from the encoder family when absent
  int64_t max_search_results = 100;
  bool use_query_optimization = true;  // SigLIP prompt ensembling
  int64_t min_image_dimension = 256;   // px; smaller images are not indexed
  int64_t min_image_bytes = 8192;      // bytes; 0 disables the size gate
  std::optional<std::string> invokeai_url;
  std::optional<std::string> invokeai_username;
  std::optional<std::string> invokeai_password;  // never returned by the API
  std::optional<std::string> invokeai_root;
  std::vector<std::string> invokeai_board_ids;
  // Keys of the album mapping that photomap does not know, kept verbatim (YAML text per key).
  std::vector<std::pair<std::string, std::string>> extra_yaml;

  bool is_board() const { return source_type == kSourceInvokeAiBoard; }
};

// The album's public JSON (backend-spec §1.2), in PhotoMapAI's key order. Never includes the
// password, only `has_invokeai_password`.
nlohmann::ordered_json AlbumToPublicJson(const Album& album);

// The search-score floor PhotoMapAI derives from an encoder spec's family: siglip 0.005,
// openai-clip 0.2, open-clip and anything else (auto, classic) 0.1.
double DefaultMinSearchScore(const std::string& encoder_spec);

// Sets `album`'s encoder_spec to `resolved` (what "auto" became at its first indexing) and, when
// its min_search_score is still the old spec's default, the new spec's default (as changing the
// encoder through the API does).
void SetResolvedEncoder(Album& album, const std::string& resolved);

// The default encoder for new albums: a large OpenCLIP model where a GPU is available, a B-size
// model on CPU-only hosts.
std::string DefaultEncoderSpec(bool has_gpu);

}  // namespace photomap::config
