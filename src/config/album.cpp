#include "config/album.h"

namespace photomap::config {

nlohmann::ordered_json AlbumToPublicJson(const Album& a) {
  nlohmann::ordered_json j;
  j["key"] = a.key;
  j["name"] = a.name;
  j["description"] = a.description;
  j["source_type"] = a.source_type;
  j["index"] = a.index;
  j["umap_eps"] = a.umap_eps ? nlohmann::ordered_json(*a.umap_eps) : nullptr;
  j["image_paths"] = a.image_paths;
  j["encoder_spec"] = a.encoder_spec;
  j["min_search_score"] = a.min_search_score;
  j["max_search_results"] = a.max_search_results;
  j["use_query_optimization"] = a.use_query_optimization;
  j["min_image_dimension"] = a.min_image_dimension;
  j["min_image_bytes"] = a.min_image_bytes;
  auto opt = [](const std::optional<std::string>& v) {
    return v ? nlohmann::ordered_json(*v) : nlohmann::ordered_json(nullptr);
  };
  j["invokeai_url"] = opt(a.invokeai_url);
  j["invokeai_username"] = opt(a.invokeai_username);
  j["invokeai_root"] = opt(a.invokeai_root);
  j["invokeai_board_ids"] = a.invokeai_board_ids;
  j["has_invokeai_password"] = a.invokeai_password.has_value() && !a.invokeai_password->empty();
  return j;
}

double DefaultMinSearchScore(const std::string& encoder_spec) {
  const std::string family = encoder_spec.substr(0, encoder_spec.find(':'));
  if (family == "siglip") return 0.005;
  if (family == "openai-clip") return 0.2;
  return 0.1;
}

void SetResolvedEncoder(Album& album, const std::string& resolved) {
  if (album.min_search_score == DefaultMinSearchScore(album.encoder_spec)) {
    album.min_search_score = DefaultMinSearchScore(resolved);
  }
  album.encoder_spec = resolved;
}

std::string DefaultEncoderSpec(bool has_gpu) {
  return has_gpu ? "open-clip:ViT-L-14/dfn2b_s39b" : "openai-clip:ViT-B/32";
}

}  // namespace photomap::config
