// UMAP for the semantic map: embeddings (N x D, cosine) to a seeded, deterministic 2-D layout, plus
// UMAP's transform to place new rows against a fixed existing layout (stable growth) and the policy
// that chooses between that and a full refit. See docs/map.md.
//
// Same input, same parameters, same build and machine: byte-identical output. Pure functions;
// thread-safe. The caller owns every buffer.
#pragma once

#include <cstdint>
#include <vector>

#include "map/knn_graph.h"
#include "map/matrix_view.h"
#include "map/umap_layout.h"
#include "util/status.h"

namespace photomap::map {

// SGD epochs of a fit. umap-learn runs 500 up to 10000 rows and 200 above; 200 at every size
// keeps trustworthiness (k = 15) within 0.003 of 500 on the benchmark sets (bench/RESULTS.md)
// at 40% of the SGD time.
inline constexpr int kDefaultFitEpochs = 200;

struct UmapParams {
  int n_neighbors = 15;    // capped at N - 1 (PhotoMapAI: min(15, N-1))
  double min_dist = 0.05;  // PhotoMapAI's value; smaller packs clusters tighter
  double spread = 1.0;
  int n_epochs = 0;  // 0: kDefaultFitEpochs
  double negative_sample_rate = 5.0;
  double repulsion_strength = 1.0;
  double learning_rate = 1.0;
  uint64_t seed = 0;  // every random choice derives from it

  // Edge blocks of the SGD (SgdOptions::blocks; part of the result, 0: automatic).
  int sgd_blocks = 0;

  // Performance knobs.
  KnnOptions knn;
  int threads = 0;  // SGD threads (0: one per block); never changes the result
};

// Returns the N x 2 float32 layout (row-major) of the rows of `x`. N = 0 gives an empty layout;
// N <= 3 the trivial layout (see TrivialLayout); otherwise kNN graph, fuzzy simplicial set,
// spectral initialisation and SGD as umap-learn with metric="cosine".
// Errors: InvalidInput for D = 0 with N > 0, non-finite values or bad parameters; Cancelled when
// `progress` returns false.
Result<std::vector<float>> FitUmap(const MatrixView& x, const UmapParams& params = {},
                                   const ProgressFn& progress = {});

// Returns the layout of tiny albums (N <= 3): the points on a circle of radius 1 around the origin
// (N = 1: the origin), in row order.
std::vector<float> TrivialLayout(size_t n);

// Returns positions (M x 2) for the rows of `added`, placed against the fixed layout `layout`
// (N x 2) of the rows of `existing`: each new point starts at the membership-weighted mean of its
// nearest existing rows and is then optimised alone (existing points never move), as umap-learn's
// transform (100 epochs for M <= 10000, else 30; learning rate / 4).
// Errors: InvalidInput when shapes disagree or `existing` has no rows; Cancelled.
Result<std::vector<float>> TransformUmap(const MatrixView& existing,
                                         const std::vector<float>& layout, const MatrixView& added,
                                         const UmapParams& params = {},
                                         const ProgressFn& progress = {});

enum class MapUpdate {
  kKeep,         // nothing changed
  kIncremental,  // drop removed rows, TransformUmap the added ones
  kRefit,        // FitUmap from scratch
};

struct MapUpdatePolicy {
  // Refit once rows added or removed since the last full fit exceed this share of that fit's rows.
  double max_changed_share = 0.10;
  // Below this many kept rows a transform has too little to anchor to: always refit.
  size_t min_kept_rows = 50;
};

// Decides how to update a map fitted on `last_fit_rows` rows after `drift_rows` rows were already
// added or removed incrementally since that fit, when this update adds `added` and removes
// `removed` rows (leaving `kept` of the current ones).
MapUpdate DecideMapUpdate(size_t last_fit_rows, size_t drift_rows, size_t kept, size_t added,
                          size_t removed, const MapUpdatePolicy& policy = {});

}  // namespace photomap::map
