// The index router (backend-spec §1.3): start, poll and cancel indexing jobs, index existence
// and metadata, removal, plus photomap's /index_failures/ listing of unreadable files.
// File deletion, move and copy live in file_operation_routes.h. Deliberate differences from
// PhotoMapAI are listed in docs/api.md.
#pragma once

#include <nlohmann/json.hpp>

#include "http/router.h"
#include "http/services.h"
#include "index/progress_tracker.h"

namespace photomap::http {

void AddIndexRoutes(Router& router, Services& services);

// PhotoMapAI's ProgressResponse body, in its field order (total 0 reported as 1).
nlohmann::ordered_json ProgressJson(const index::ProgressView& view);

}  // namespace photomap::http
