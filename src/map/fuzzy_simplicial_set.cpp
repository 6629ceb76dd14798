#include "map/fuzzy_simplicial_set.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>
#include <optional>
#include <system_error>
#include <thread>

namespace photomap::map {

namespace {

constexpr double kSmoothKTolerance = 1e-5;
constexpr double kMinKDistScale = 1e-3;

float Rho(const float* dist, int k, double local_connectivity) {
  std::vector<float> nonzero;
  for (int j = 0; j < k; ++j) {
    if (dist[j] > 0.0f && std::isfinite(dist[j])) nonzero.push_back(dist[j]);
  }
  const size_t index = static_cast<size_t>(std::floor(local_connectivity));
  const double interpolation = local_connectivity - static_cast<double>(index);
  if (static_cast<double>(nonzero.size()) >= local_connectivity) {
    if (index > 0) {
      float rho = nonzero[index - 1];
      if (interpolation > kSmoothKTolerance) {
        rho += static_cast<float>(interpolation * (nonzero[index] - nonzero[index - 1]));
      }
      return rho;
    }
    return nonzero.empty() ? 0.0f : static_cast<float>(interpolation * nonzero[0]);
  }
  if (!nonzero.empty()) return *std::max_element(nonzero.begin(), nonzero.end());
  return 0.0f;
}

double MeanFinite(const float* dist, size_t count) {
  double sum = 0;
  size_t used = 0;
  for (size_t j = 0; j < count; ++j) {
    if (std::isfinite(dist[j])) {
      sum += dist[j];
      ++used;
    }
  }
  return used ? sum / static_cast<double>(used) : 0.0;
}

// Row i's rho and sigma (umap-learn's smooth_knn_dist for one point).
void SmoothRow(const KnnGraph& knn, size_t i, double target, double mean_distances,
               double local_connectivity, float* rho_out, float* sigma_out) {
  const int k = knn.k;
  const float* dist = knn.distances.data() + i * k;
  const float rho = Rho(dist, k, local_connectivity);
  *rho_out = rho;
  double lo = 0.0, hi = std::numeric_limits<double>::infinity(), mid = 1.0;
  for (int it = 0; it < 64; ++it) {
    double psum = 0.0;
    for (int j = 1; j < k; ++j) {
      if (knn.indices[i * k + j] < 0) continue;
      const float d = dist[j] - rho;
      psum += d > 0 ? std::exp(-(d / mid)) : 1.0;
    }
    if (std::fabs(psum - target) < kSmoothKTolerance) break;
    if (psum > target) {
      hi = mid;
      mid = (lo + hi) / 2.0;
    } else {
      lo = mid;
      mid = std::isinf(hi) ? mid * 2 : (lo + hi) / 2.0;
    }
  }
  const double floor_scale =
      rho > 0.0f ? kMinKDistScale * MeanFinite(dist, k) : kMinKDistScale * mean_distances;
  *sigma_out = static_cast<float>(std::max(mid, floor_scale));
}

}  // namespace

SmoothKnn SmoothKnnDist(const KnnGraph& knn, double target_k, double local_connectivity) {
  const double target = std::log2(target_k);
  const double mean_distances = MeanFinite(knn.distances.data(), knn.distances.size());
  SmoothKnn out;
  out.sigmas.assign(knn.n, 0.0f);
  out.rhos.assign(knn.n, 0.0f);
  // Rows are independent: two threads take halves (each row's result is the same either way).
  auto rows = [&](size_t lo, size_t hi) {
    for (size_t i = lo; i < hi; ++i)
      SmoothRow(knn, i, target, mean_distances, local_connectivity, &out.rhos[i], &out.sigmas[i]);
  };
  const size_t half = knn.n / 2;
  std::optional<std::thread> helper;
  if (knn.n >= 4096 && std::thread::hardware_concurrency() > 1) {
    try {
      helper.emplace(rows, half, knn.n);
    } catch (const std::system_error&) {
      // no second thread: this one does every row
    }
  }
  rows(0, helper ? half : knn.n);
  if (helper) helper->join();
  return out;
}

float MembershipStrength(const KnnGraph& knn, const SmoothKnn& s, size_t i, int j, bool skip_self) {
  const int32_t nb = knn.indices[i * knn.k + j];
  if (nb < 0) return 0.0f;
  if (skip_self && static_cast<size_t>(nb) == i) return 0.0f;
  const float d = knn.distances[i * knn.k + j];
  if (d - s.rhos[i] <= 0.0f || s.sigmas[i] == 0.0f) return 1.0f;
  return static_cast<float>(std::exp(-(static_cast<double>(d - s.rhos[i]) / s.sigmas[i])));
}

SparseGraph FuzzySimplicialSet(const KnnGraph& knn, int n_neighbors) {
  const SmoothKnn s = SmoothKnnDist(knn, static_cast<double>(n_neighbors));
  // Directed edges in both orientations; `forward` marks A_ij, the other is Aᵀ's entry.
  struct Entry {
    int32_t row, col;
    float value;
    bool forward;
  };
  // Bucketed by row (a counting sort), then each short row sorted by (col, forward first).
  std::vector<size_t> start(knn.n + 1, 0);
  std::vector<float> strength(knn.n * knn.k);
  for (size_t i = 0; i < knn.n; ++i) {
    for (int j = 0; j < knn.k; ++j) {
      const float v = MembershipStrength(knn, s, i, j, /*skip_self=*/true);
      strength[i * knn.k + j] = v;
      if (v == 0.0f) continue;
      ++start[i + 1];
      ++start[knn.indices[i * knn.k + j] + 1];
    }
  }
  std::partial_sum(start.begin(), start.end(), start.begin());
  std::vector<Entry> entries(start[knn.n]);
  std::vector<size_t> fill(start.begin(), start.end() - 1);
  for (size_t i = 0; i < knn.n; ++i) {
    for (int j = 0; j < knn.k; ++j) {
      const float v = strength[i * knn.k + j];
      if (v == 0.0f) continue;
      const int32_t c = knn.indices[i * knn.k + j];
      entries[fill[i]++] = {static_cast<int32_t>(i), c, v, true};
      entries[fill[c]++] = {c, static_cast<int32_t>(i), v, false};
    }
  }
  for (size_t i = 0; i < knn.n; ++i) {
    std::sort(entries.begin() + start[i], entries.begin() + start[i + 1],
              [](const Entry& a, const Entry& b) {
                return a.col != b.col ? a.col < b.col : a.forward > b.forward;
              });
  }
  SparseGraph g;
  g.n = knn.n;
  g.row_start.assign(knn.n + 1, 0);
  for (size_t e = 0; e < entries.size();) {
    float a = 0.0f, at = 0.0f;
    size_t f = e;
    for (;
         f < entries.size() && entries[f].row == entries[e].row && entries[f].col == entries[e].col;
         ++f) {
      (entries[f].forward ? a : at) += entries[f].value;
    }
    const float w = a + at - a * at;
    if (w != 0.0f) {
      g.cols.push_back(entries[e].col);
      g.weights.push_back(w);
      ++g.row_start[entries[e].row + 1];
    }
    e = f;
  }
  std::partial_sum(g.row_start.begin(), g.row_start.end(), g.row_start.begin());
  return g;
}

}  // namespace photomap::map
