// PhotoMapAI's /update_album/ patch semantics (backend-spec §2.4): a payload changes only what
// it names, so a client sending {key, name} renames the album and nothing else.
//
//  - most fields: the payload value when present and not null, else the stored value;
//  - umap_eps, invokeai_username: present (even null) replaces, absent keeps;
//  - invokeai_password: null clears, "" or absent keeps, anything else replaces;
//  - source_type cannot change; board albums re-derive image_paths and refuse other folders;
//  - min_search_score is re-resolved when the encoder family floor changes and none is sent.
#pragma once

#include <nlohmann/json.hpp>

#include "config/album.h"
#include "config/path_context.h"
#include "config/validation.h"
#include "util/status.h"

namespace photomap::config {

struct PatchResult {
  Validated<Album> album;  // issues → 422
};

// Applies `payload` to `existing`. Errors (400, InvalidInput): a source_type change, or changed
// directories on a board album. Validation issues are returned inside PatchResult.
Result<PatchResult> ApplyAlbumPatch(const Album& existing, const nlohmann::json& payload,
                                    const PathContext& paths);

}  // namespace photomap::config
