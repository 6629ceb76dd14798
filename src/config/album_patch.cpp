#include "config/album_patch.h"

#include <set>

#include "config/album_json.h"

namespace photomap::config {
namespace {

// The album as config.yaml stores it: the public JSON with the password itself instead of
// has_invokeai_password.
nlohmann::json StoredAsJson(const Album& a) {
  nlohmann::json j = nlohmann::json::parse(AlbumToPublicJson(a).dump());
  j.erase("has_invokeai_password");
  j["invokeai_password"] =
      a.invokeai_password ? nlohmann::json(*a.invokeai_password) : nlohmann::json(nullptr);
  return j;
}

bool Present(const nlohmann::json& p, const char* k) { return p.contains(k); }
bool PresentNotNull(const nlohmann::json& p, const char* k) {
  return p.contains(k) && !p.at(k).is_null();
}

}  // namespace

Result<PatchResult> ApplyAlbumPatch(const Album& existing, const nlohmann::json& payload,
                                    const PathContext& paths) {
  if (PresentNotNull(payload, "source_type") && payload["source_type"] != existing.source_type) {
    return InvalidInput("Album '" + existing.key + "' is a " + existing.source_type +
                        " album; its source type cannot be changed by an update.");
  }
  nlohmann::json merged = StoredAsJson(existing);
  static const char* kKept[] = {"name",
                                "description",
                                "encoder_spec",
                                "max_search_results",
                                "use_query_optimization",
                                "min_image_dimension",
                                "min_image_bytes",
                                "invokeai_url",
                                "invokeai_root",
                                "invokeai_board_ids",
                                "min_search_score"};
  for (const char* k : kKept) {
    if (PresentNotNull(payload, k)) merged[k] = payload[k];
  }
  for (const char* k : {"umap_eps", "invokeai_username"}) {
    if (Present(payload, k)) merged[k] = payload[k];
  }
  if (Present(payload, "invokeai_password")) {
    const auto& pw = payload["invokeai_password"];
    if (pw.is_null()) {
      merged["invokeai_password"] = nullptr;
    } else if (!(pw.is_string() && pw.get<std::string>().empty())) {
      merged["invokeai_password"] = pw;
    }
  }
  if (payload.contains("index") && payload["index"].is_string() &&
      !payload["index"].get<std::string>().empty()) {
    merged["index"] = payload["index"];
  } else if (payload.contains("index") && !payload["index"].is_null() &&
             !payload["index"].is_string()) {
    merged["index"] = payload["index"];  // let validation report the type error
  }
  if (existing.is_board()) {
    if (PresentNotNull(payload, "image_paths")) {
      std::set<std::string> stored, derived;
      for (const auto& p : existing.image_paths) stored.insert(paths.Resolve(p));
      const std::string root =
          merged["invokeai_root"].is_string() ? merged["invokeai_root"].get<std::string>() : "";
      for (const auto& p : BoardImagePaths(root, paths)) derived.insert(paths.Resolve(p));
      bool subset_stored = true, subset_derived = true, any = false;
      if (payload["image_paths"].is_array()) {
        for (const auto& p : payload["image_paths"]) {
          if (!p.is_string()) continue;
          any = true;
          const std::string r = paths.Resolve(p.get<std::string>());
          subset_stored = subset_stored && stored.count(r);
          subset_derived = subset_derived && derived.count(r);
        }
      }
      if (!any || !(subset_stored || subset_derived)) {
        return InvalidInput(
            "InvokeAI-board albums take their image directories from the InvokeAI root; they "
            "cannot be changed or added to.");
      }
    }
  } else if (PresentNotNull(payload, "image_paths")) {
    merged["image_paths"] = payload["image_paths"];
  }
  const std::string old_spec = existing.encoder_spec;
  const std::string new_spec =
      merged["encoder_spec"].is_string() ? merged["encoder_spec"].get<std::string>() : old_spec;
  if (!PresentNotNull(payload, "min_search_score") &&
      DefaultMinSearchScore(new_spec) != DefaultMinSearchScore(old_spec)) {
    merged["min_search_score"] = nullptr;  // re-resolved from the new family
  }
  AlbumBuildOptions options;
  options.defaults = AlbumDefaults::kApi;
  options.default_encoder_spec = old_spec;
  options.resolve_paths = true;
  PatchResult result;
  result.album = AlbumFromJson(merged, existing.key, paths, options);
  if (result.album.value) result.album.value->extra_yaml = existing.extra_yaml;
  // Issues refer to the payload's fields; report the payload's value as the input.
  for (auto& issue : result.album.issues) {
    if (issue.loc.size() > 1 && issue.loc[1].is_string()) {
      const std::string f = issue.loc[1].get<std::string>();
      if (payload.contains(f)) issue.input = nlohmann::ordered_json::parse(payload[f].dump());
    }
  }
  return result;
}

}  // namespace photomap::config
