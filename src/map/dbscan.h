// DBSCAN on 2-D map coordinates with scikit-learn's exact semantics and cluster numbering (the web
// UI joins /umap_data and /cluster_labels on these ids).
//
// Neighbourhood: Euclidean d <= eps, the point itself included; core: neighbourhood >= min_samples.
// Clusters are numbered 0, 1, … in the order of their lowest-index core point and expanded
// depth-first; a border point takes the first cluster that reaches it; noise is -1. Neighbour
// queries use a kd-tree, O(N log N + pairs within eps). Pure function; thread-safe.
#pragma once

#include <cstdint>
#include <vector>

#include "util/status.h"

namespace photomap::map {

// Returns one label per point of `xy` (n points, x/y interleaved float32).
// Errors: InvalidInput when eps is not finite or < 0, min_samples < 1, or a coordinate is not
// finite.
Result<std::vector<int32_t>> Dbscan(const float* xy, size_t n, double eps, int min_samples);

// Returns the number of clusters (max label + 1) of a DBSCAN labelling.
int32_t ClusterCount(const std::vector<int32_t>& labels);

}  // namespace photomap::map
