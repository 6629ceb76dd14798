// k-nearest-neighbour graphs by cosine distance (1 - cos), the first stage of UMAP.
//
// Small inputs are searched exactly with blocked BLAS sgemm; larger ones with an inverted-file
// search (spherical k-means cells, each query scanning its `nprobe` closest cells with sgemm),
// which needs O(N·D) memory and about N²·nprobe/cells multiply-adds. The blocks or cells are
// scored on `threads` threads, each calling a single-threaded OpenBLAS (its own thread pool only
// spins on these small products), so the process-wide OpenBLAS thread count is set to 1 for the
// duration of that loop and restored after it. Results are deterministic and independent of the
// thread count: seeded k-means, fixed block shapes, and neighbours ordered by (distance, row
// index). Pure functions; thread-safe apart from that OpenBLAS setting.
#pragma once

#include <cstdint>
#include <functional>
#include <vector>

#include "map/matrix_view.h"
#include "util/status.h"

namespace photomap::map {

struct KnnOptions {
  // Inputs with at most this many base rows are searched exactly (same cut-off as umap-learn).
  size_t exact_max_rows = 4096;
  // Inverted-file search: number of cells = round(sqrt(N) * cells_per_sqrt_n), and each query
  // scans its `nprobe` nearest cells. More probes: better recall, proportionally more time.
  double cells_per_sqrt_n = 1.0;
  int nprobe = 8;
  int kmeans_iterations = 8;
  uint64_t seed = 42;
  // Performance knob, never part of the result: scoring threads (0: the hardware's count).
  int threads = 0;
  // The caller's rows already have unit L2 norm (NormalizedRows): used in place, not copied.
  bool rows_are_unit = false;
  // Optional: called on the calling thread between units of work (a block or a cell, a few ms
  // each); returning false stops the search, which then fails with Cancelled.
  std::function<bool()> keep_going;
};

// Neighbour lists, row i at [i*k, (i+1)*k), ascending by (distance, index).
struct KnnGraph {
  size_t n = 0;
  int k = 0;
  std::vector<int32_t> indices;  // -1 where fewer than k neighbours exist
  std::vector<float> distances;  // cosine distance, clamped to >= 0; +inf where index is -1
};

// Returns the k nearest rows of `x` for every row of `x`, the row itself included as column 0 with
// distance 0 (umap-learn's convention). Rows are L2-normalised internally.
// Errors: InvalidInput when k < 1, k > rows, or cols == 0 with rows > 0; Cancelled when
// options.keep_going said stop.
Result<KnnGraph> BuildKnnGraph(const MatrixView& x, int k, const KnnOptions& options = {});

// Returns, for every row of `queries`, its k nearest rows of `base` (no self exclusion).
// Errors: InvalidInput when k < 1, k > base.rows, or the column counts differ.
Result<KnnGraph> QueryKnn(const MatrixView& base, const MatrixView& queries, int k,
                          const KnnOptions& options = {});

}  // namespace photomap::map
