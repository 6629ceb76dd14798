// Builds an Album from a JSON object with PhotoMapAI's validation rules (backend-spec §2.2).
//
// Two sets of defaults exist: the API model used by POST /add_album/ (name, image_paths and
// index required; encoder = host default) and the loader used for config.yaml (name defaults
// to key.capitalize(), encoder defaults to the legacy spec). Both derive board-album paths,
// expand "~" and resolve min_search_score from the encoder family when it is null.
#pragma once

#include <string>

#include <nlohmann/json.hpp>

#include "config/album.h"
#include "config/path_context.h"
#include "config/validation.h"

namespace photomap::config {

enum class AlbumDefaults { kApi, kYamlLoad };

struct AlbumBuildOptions {
  AlbumDefaults defaults = AlbumDefaults::kApi;
  std::string default_encoder_spec;  // used for kApi when encoder_spec is absent
  bool resolve_paths = false;        // expanduser().resolve() image_paths and index
};

// Validates `body` (an object) into an Album keyed `key` (for kApi the key is read from the
// body's "key" field and `key` is ignored). Issues carry loc ["body", field].
Validated<Album> AlbumFromJson(const nlohmann::json& body, const std::string& key,
                               const PathContext& paths, const AlbumBuildOptions& options);

// The image directories of a board album: [<root>/outputs/images, <root>/outputs/videos].
std::vector<std::string> BoardImagePaths(const std::string& invokeai_root,
                                         const PathContext& paths);

// Python's str.capitalize() for ASCII: first letter upper, the rest lower.
std::string CapitalizeKey(const std::string& key);

}  // namespace photomap::config
