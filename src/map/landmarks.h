// Landmarks of the semantic map: per DBSCAN cluster, its normalised mean embedding, its medoid (the
// member closest in cosine to that mean: the cluster's representative thumbnail) and the centre of
// its members in the 2-D layout (where the map draws the cluster's label).
//
// Pure functions; thread-safe. Row indices are rows of the given matrices (raw row order); mapping
// them to the API's sorted indices is the caller's job.
#pragma once

#include <cstdint>
#include <vector>

#include "map/matrix_view.h"
#include "util/status.h"

namespace photomap::map {

struct ClusterCentroid {
  int32_t cluster_id = 0;
  size_t size = 0;               // member count
  std::vector<float> unit_mean;  // normalize(mean of member rows); a zero mean stays zero
  int64_t medoid_row = -1;       // member with the largest row · unit_mean (lowest row on ties)
};

// Returns one entry per cluster id present in `labels` (ascending; noise -1 skipped).
// Errors: InvalidInput when labels.size() != embeddings.rows.
Result<std::vector<ClusterCentroid>> ClusterCentroids(const MatrixView& embeddings,
                                                      const std::vector<int32_t>& labels);

struct Landmark {
  int32_t cluster_id = 0;
  size_t size = 0;
  int64_t medoid_row = -1;
  float x = 0, y = 0;  // mean layout position of the members
};

// Returns the landmarks of every cluster in `labels`, ascending by cluster id.
// Errors: InvalidInput when labels.size() differs from embeddings.rows or from the layout's rows
// (`xy` holds labels.size() points, x/y interleaved).
Result<std::vector<Landmark>> ComputeLandmarks(const MatrixView& embeddings,
                                               const std::vector<float>& xy,
                                               const std::vector<int32_t>& labels);

}  // namespace photomap::map
