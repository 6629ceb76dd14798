#include "map/umap.h"

#include <algorithm>
#include <cmath>
#include <string>

#include "map/fuzzy_simplicial_set.h"
#include "map/locality_order.h"
#include "map/spectral_init.h"

namespace photomap::map {

namespace {

Status CheckInput(const MatrixView& x, const UmapParams& p, const char* what) {
  const std::string ctx = std::string("umap ") + what;
  if (x.rows > 0 && x.cols == 0) return InvalidInput(ctx + ": embeddings have 0 columns");
  for (size_t i = 0; i < x.rows * x.cols; ++i) {
    if (!std::isfinite(x.data[i])) {
      return InvalidInput(ctx + ": row " + std::to_string(i / x.cols) +
                          " holds a non-finite value; re-encode that image");
    }
  }
  if (p.n_neighbors < 2 || !(p.min_dist >= 0) || !(p.spread > 0) || p.n_epochs < 0 ||
      !(p.negative_sample_rate >= 0) || !(p.learning_rate > 0)) {
    return InvalidInput(ctx +
                        ": parameters out of range (n_neighbors >= 2, min_dist >= 0, "
                        "spread > 0, n_epochs >= 0, learning_rate > 0)");
  }
  return Status::Ok();
}

// umap-learn scales the initial layout to [0, 10] per axis before the SGD.
void ScaleToBox(std::vector<float>& xy) {
  for (int d = 0; d < 2; ++d) {
    float lo = INFINITY, hi = -INFINITY;
    for (size_t i = d; i < xy.size(); i += 2) {
      lo = std::min(lo, xy[i]);
      hi = std::max(hi, xy[i]);
    }
    const float range = hi - lo;
    for (size_t i = d; i < xy.size(); i += 2)
      xy[i] = range > 0 ? 10.0f * (xy[i] - lo) / range : 0.0f;
  }
}

SgdOptions SgdFor(const UmapParams& p, int n_epochs, double alpha, bool move_other, uint64_t salt) {
  SgdOptions o;
  o.n_epochs = n_epochs;
  o.gamma = p.repulsion_strength;
  o.initial_alpha = alpha;
  o.negative_sample_rate = p.negative_sample_rate;
  o.move_other = move_other;
  o.seed = p.seed ^ salt;
  o.blocks = p.sgd_blocks;
  o.threads = p.threads;
  return o;
}

// Progress of a sub-stage mapped into [lo, hi] of the whole.
ProgressFn Stage(const ProgressFn& progress, double lo, double hi) {
  if (!progress) return {};
  return [progress, lo, hi](double f) { return progress(lo + (hi - lo) * f); };
}

}  // namespace

std::vector<float> TrivialLayout(size_t n) {
  std::vector<float> xy(n * 2, 0.0f);
  if (n < 2) return xy;
  for (size_t i = 0; i < n; ++i) {
    const double angle = 2.0 * M_PI * static_cast<double>(i) / static_cast<double>(n);
    xy[2 * i] = static_cast<float>(std::cos(angle));
    xy[2 * i + 1] = static_cast<float>(std::sin(angle));
  }
  return xy;
}

Result<std::vector<float>> FitUmap(const MatrixView& x, const UmapParams& p,
                                   const ProgressFn& progress) {
  PHOTOMAP_RETURN_IF_ERROR(CheckInput(x, p, "fit"));
  const size_t n = x.rows;
  if (n <= 3) return TrivialLayout(n);
  const int k = static_cast<int>(std::min<size_t>(static_cast<size_t>(p.n_neighbors), n - 1));
  KnnOptions knn_options = p.knn;
  knn_options.seed ^= p.seed;
  knn_options.rows_are_unit = true;
  if (progress) knn_options.keep_going = [&progress] { return progress(0.1); };
  const std::vector<float> unit = NormalizedRows(x);
  Result<KnnGraph> knn = BuildKnnGraph(MatrixView{unit.data(), n, x.cols}, k, knn_options);
  if (!knn.ok()) return knn.error().WithContext("umap fit");
  if (progress && !progress(0.2)) return Cancelled("umap fit: cancelled after the kNN graph");
  const SparseGraph graph = FuzzySimplicialSet(*knn, k);
  const int n_epochs = p.n_epochs > 0 ? p.n_epochs : kDefaultFitEpochs;

  Rng rng(p.seed ^ 0x696e6974ULL);
  InitialLayout init = SpectralInit(graph, MatrixView{unit.data(), n, x.cols}, rng);
  if (progress && !progress(0.3)) return Cancelled("umap fit: cancelled after initialisation");
  ScaleToBox(init.xy);
  // The SGD runs on the points in a cache-friendly order (locality_order.h), then they go back.
  const std::vector<int32_t> order = LocalityOrder(init.xy);
  std::vector<float> xy(2 * n);
  for (size_t i = 0; i < n; ++i) {
    xy[2 * i] = init.xy[2 * order[i]];
    xy[2 * i + 1] = init.xy[2 * order[i] + 1];
  }
  const EdgeList edges = MakeEdgeList(PermuteGraph(graph, order), n_epochs);
  const CurveParams curve = FindAbParams(p.spread, p.min_dist);
  PHOTOMAP_RETURN_IF_ERROR(OptimizeLayout(xy, nullptr, edges, curve,
                                          SgdFor(p, n_epochs, p.learning_rate, true, 0x666974ULL),
                                          Stage(progress, 0.3, 1.0)));
  for (size_t i = 0; i < n; ++i) {
    init.xy[2 * order[i]] = xy[2 * i];
    init.xy[2 * order[i] + 1] = xy[2 * i + 1];
  }
  return std::move(init.xy);
}

Result<std::vector<float>> TransformUmap(const MatrixView& existing,
                                         const std::vector<float>& layout, const MatrixView& added,
                                         const UmapParams& p, const ProgressFn& progress) {
  PHOTOMAP_RETURN_IF_ERROR(CheckInput(existing, p, "transform"));
  PHOTOMAP_RETURN_IF_ERROR(CheckInput(added, p, "transform"));
  if (existing.rows == 0) return InvalidInput("umap transform: the existing map is empty; refit");
  if (layout.size() != existing.rows * 2) {
    return InvalidInput("umap transform: layout has " + std::to_string(layout.size() / 2) +
                        " rows, embeddings " + std::to_string(existing.rows) + "; refit");
  }
  if (added.rows == 0) return std::vector<float>();
  if (added.cols != existing.cols) {
    return InvalidInput("umap transform: new rows have " + std::to_string(added.cols) +
                        " columns, the map's rows " + std::to_string(existing.cols));
  }
  const int k =
      static_cast<int>(std::min<size_t>(static_cast<size_t>(p.n_neighbors), existing.rows));
  KnnOptions knn_options = p.knn;
  knn_options.seed ^= p.seed;
  if (progress) knn_options.keep_going = [&progress] { return progress(0.0); };
  Result<KnnGraph> knn = QueryKnn(existing, added, k, knn_options);
  if (!knn.ok()) return knn.error().WithContext("umap transform");
  const SmoothKnn smooth = SmoothKnnDist(*knn, static_cast<double>(p.n_neighbors), 0.0);

  // Bipartite graph new -> existing, and the weighted-mean starting positions.
  SparseGraph graph;
  graph.n = added.rows;
  graph.row_start.assign(added.rows + 1, 0);
  std::vector<float> xy(added.rows * 2, 0.0f);
  for (size_t i = 0; i < added.rows; ++i) {
    double sum = 0, px = 0, py = 0;
    bool exact = false;
    for (int j = 0; j < k; ++j) {
      const float w = MembershipStrength(*knn, smooth, i, j, /*skip_self=*/false);
      const int32_t c = knn->indices[i * k + j];
      if (w <= 0.0f) continue;
      graph.cols.push_back(c);
      graph.weights.push_back(w);
      if (!exact && w == 1.0f) {  // an exact match sits on its twin (umap-learn)
        exact = true;
        px = layout[2 * c];
        py = layout[2 * c + 1];
        sum = 1;
      } else if (!exact) {
        sum += w;
        px += w * layout[2 * c];
        py += w * layout[2 * c + 1];
      }
    }
    graph.row_start[i + 1] = graph.cols.size();
    if (sum > 0) {
      xy[2 * i] = static_cast<float>(px / sum);
      xy[2 * i + 1] = static_cast<float>(py / sum);
    } else if (knn->indices[i * k] >= 0) {  // no weight at all: the nearest row's position
      const int32_t c = knn->indices[i * k];
      xy[2 * i] = layout[2 * c];
      xy[2 * i + 1] = layout[2 * c + 1];
    } else {  // no neighbour found (an empty search cell): the layout's first point
      xy[2 * i] = layout[0];
      xy[2 * i + 1] = layout[1];
    }
  }
  const int n_epochs = added.rows <= 10000 ? 100 : 30;
  const EdgeList edges = MakeEdgeList(graph, n_epochs);
  std::vector<float> fixed(layout);
  PHOTOMAP_RETURN_IF_ERROR(
      OptimizeLayout(xy, &fixed, edges, FindAbParams(p.spread, p.min_dist),
                     SgdFor(p, n_epochs, p.learning_rate / 4.0, false, 0x7472616e73ULL), progress));
  return xy;
}

MapUpdate DecideMapUpdate(size_t last_fit_rows, size_t drift_rows, size_t kept, size_t added,
                          size_t removed, const MapUpdatePolicy& policy) {
  if (added == 0 && removed == 0) return MapUpdate::kKeep;
  if (last_fit_rows == 0 || kept < policy.min_kept_rows) return MapUpdate::kRefit;
  const double share =
      static_cast<double>(drift_rows + added + removed) / static_cast<double>(last_fit_rows);
  return share > policy.max_changed_share ? MapUpdate::kRefit : MapUpdate::kIncremental;
}

}  // namespace photomap::map
