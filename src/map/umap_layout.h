// UMAP's layout optimisation: the a/b curve fit and the stochastic gradient descent with negative
// sampling over the edges of the fuzzy graph (umap-learn's find_ab_params, make_epochs_per_sample
// and optimize_layout_euclidean).
//
// Seeded, and deterministic whatever the thread count: the edges are split into a fixed number of
// blocks by head point (SgdOptions::blocks) that never write what another block reads during an
// epoch, so the same inputs give byte-identical outputs on a given build and machine with 1 or
// more threads. Pure functions over caller-owned buffers; thread-safe across distinct buffers.
#pragma once

#include <cstdint>
#include <functional>
#include <vector>

#include "map/fuzzy_simplicial_set.h"
#include "util/status.h"

namespace photomap::map {

// Called with the fraction of the work done (0..1); returning false cancels the computation.
using ProgressFn = std::function<bool(double fraction)>;

// The low-dimensional similarity 1 / (1 + a·d^(2b)).
struct CurveParams {
  double a = 1.0;
  double b = 1.0;
};

// Least-squares fit of 1/(1 + a·x^(2b)) to 1 for x < min_dist and exp(-(x - min_dist)/spread)
// beyond, on 300 points in [0, 3·spread] (Levenberg-Marquardt from a = b = 1, as scipy's
// curve_fit). Requires: spread > 0, 0 <= min_dist.
CurveParams FindAbParams(double spread, double min_dist);

// The edges the SGD samples: graph entries with weight >= max/n_epochs, each sampled every
// `epochs_per_sample` = max/weight epochs. Row-major (head ascending, then tail).
struct EdgeList {
  std::vector<int32_t> head;
  std::vector<int32_t> tail;
  std::vector<double> epochs_per_sample;
};

// Prunes and schedules the rows of `graph` (head = row, tail = column).
EdgeList MakeEdgeList(const SparseGraph& graph, int n_epochs);

struct SgdOptions {
  int n_epochs = 200;
  double gamma = 1.0;                 // repulsion strength
  double initial_alpha = 1.0;         // learning rate, decreasing linearly to 0
  double negative_sample_rate = 5.0;  // negative samples per positive sample
  bool move_other = true;             // false: tail positions are fixed (transform)
  uint64_t seed = 0;
  // Edge blocks, split by head point. Within an epoch a block sees the other blocks' points as
  // they were when the epoch began (umap-learn's parallel mode sees them mid-race instead). Part
  // of the result: 0 picks 1 below kSgdBlockMinPoints head points, else 2.
  int blocks = 0;

  // Performance knob, never part of the result: threads running the blocks (0: one per block,
  // at most the hardware's thread count).
  int threads = 0;
};

// Head points from which OptimizeLayout's automatic `blocks` is 2.
inline constexpr size_t kSgdBlockMinPoints = 4096;

// Runs the SGD epochs in place. `head` holds the points being moved (n_head x 2); `tail` the points
// edges point to and negatives are drawn from (n_tail x 2); pass the same buffer for a fit.
// `progress` is called on the calling thread.
// `progress` is asked after every epoch but the last, and once more at the end.
// Errors: Cancelled when `progress` returns false (the buffers then hold a partial layout: every
// thread stops after the epoch that was asked about).
Status OptimizeLayout(std::vector<float>& head, std::vector<float>* tail, const EdgeList& edges,
                      CurveParams curve, const SgdOptions& options, const ProgressFn& progress);

}  // namespace photomap::map
