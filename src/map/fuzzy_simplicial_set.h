// The fuzzy simplicial set of UMAP: per-point smooth-kNN calibration (rho, sigma) and the fuzzy
// union of the directed membership strengths into one symmetric weighted graph.
//
// Mirrors umap-learn 0.5 (smooth_knn_dist, compute_membership_strengths, fuzzy_simplicial_set with
// local_connectivity 1, bandwidth 1, set_op_mix_ratio 1), including its float32/float64 mix.
// Pure functions; thread-safe.
#pragma once

#include <cstdint>
#include <vector>

#include "map/knn_graph.h"

namespace photomap::map {

// A sparse symmetric graph in CSR form; columns ascending within each row.
struct SparseGraph {
  size_t n = 0;
  std::vector<size_t> row_start;  // n + 1 entries
  std::vector<int32_t> cols;
  std::vector<float> weights;

  size_t edges() const { return cols.size(); }
};

struct SmoothKnn {
  std::vector<float> sigmas;
  std::vector<float> rhos;
};

// umap-learn's smooth_knn_dist over the rows of `knn` (column 0 is skipped in the sum, as there).
// `target_k` is the n_neighbors value (log2 of it is the target sum); `local_connectivity` is 1 for
// a fit and 0 for a transform.
SmoothKnn SmoothKnnDist(const KnnGraph& knn, double target_k, double local_connectivity = 1.0);

// The directed membership strength of neighbour slot (i, j): 0 for the point itself (when
// `skip_self`), 1 at or below rho or when sigma is 0, else exp(-(d - rho) / sigma).
float MembershipStrength(const KnnGraph& knn, const SmoothKnn& s, size_t i, int j, bool skip_self);

// Builds the symmetric fuzzy union A + Aᵀ - A∘Aᵀ of the membership strengths, zeros dropped.
SparseGraph FuzzySimplicialSet(const KnnGraph& knn, int n_neighbors);

}  // namespace photomap::map
