// The semantic-map routes (backend-spec §1.5, §1.6): umap_data, cluster_labels, image_label.
// Shapes are PhotoMapAI's; the fixed quirks (404 instead of 500 without an index, 422 for
// top_k < 1, top_k honoured by the label cache, a "message" when labels are unavailable) are
// listed in docs/api.md.
#pragma once

#include "http/router.h"
#include "http/services.h"

namespace photomap::http {

void AddMapRoutes(Router& router, Services& services);

}  // namespace photomap::http
