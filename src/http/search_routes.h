// The search and per-image info routes (backend-spec §1.4.2): search_with_text_and_image,
// retrieve_image (SlideSummary §8.5), image_info, get_metadata, image_path, image_indices.
// File-serving routes live in media_routes.h. Deliberate differences: docs/api.md.
#pragma once

#include "http/router.h"
#include "http/services.h"

namespace photomap::http {

// Largest accepted search request body (the base64 query image is most of it).
inline constexpr size_t kMaxSearchBodyBytes = size_t{48} << 20;

void AddSearchRoutes(Router& router, Services& services);

}  // namespace photomap::http
