// Cluster Strength: the automatic DBSCAN eps of the semantic map (spec §6.3), the span cap, the
// pair budget, eps validation, and the fingerprint a caller caches the automatic value under.
//
// Pure functions over 2-D map coordinates (n points, x/y interleaved float32); thread-safe. Caching
// (umap_eps_auto.npz) belongs to the caller: store {eps, ClusterEpsFingerprint(...)} and reuse the
// eps while the fingerprint matches.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "util/status.h"

namespace photomap::map {

inline constexpr int kDefaultClusterMinSamples = 10;
inline constexpr double kFallbackClusterEps = 0.2;
inline constexpr double kMaxTopClusterShare = 0.25;
inline constexpr double kMaxEpsSpanFraction = 0.25;
inline constexpr size_t kMaxNeighborPairs = 50'000'000;
inline constexpr double kMinBudgetedEps = 1e-6;
inline constexpr double kMinClusterEps = 0.01;

// Returns Ok when `eps` is finite and >= 0.01 (the bound of /set_umap_eps and the cluster_eps
// query), else InvalidInput (HTTP 422).
Status ValidateClusterEps(double eps);

// The distance from each point to its k-th nearest other point, k = min(min_samples, n - 1)
// (scikit-learn's NearestNeighbors(k + 1), last column). Empty when k < 1.
std::vector<double> KthNeighborDistances(const float* xy, size_t n, int min_samples);

// numpy.percentile(values, q) with the default linear method, bit for bit. Requires: values sorted
// ascending and non-empty.
double Percentile(const std::vector<double>& sorted_values, double q);

// The share of all n points in the largest DBSCAN(eps, min_samples) cluster (0 without clusters).
double TopClusterShare(const float* xy, size_t n, double eps, int min_samples);

// adaptive_cluster_eps: the largest of the 40th..90th-percentile k-distances whose largest cluster
// holds at most 25% of the points (the 40th if none does); 0.2 when there is nothing to measure.
double AdaptiveClusterEps(const float* xy, size_t n, int min_samples = kDefaultClusterMinSamples);

// resolve_cluster_eps: `eps` or, when absent, the adaptive value capped at 25% of the span; then
// floored at 0.01 and shrunk by x0.7 while more than 50M neighbour pairs lie within it.
double ResolveClusterEps(const float* xy, size_t n, std::optional<double> eps,
                         int min_samples = kDefaultClusterMinSamples);

// Σ_i |{j : d(i, j) <= eps}| (self included), stopping once it exceeds `limit`.
size_t CountNeighborPairs(const float* xy, size_t n, double eps, size_t limit = SIZE_MAX);

// The cache key of the automatic eps: blake2b-128 hex of the float32 coordinate bytes followed by
// the decimal text of min_samples (PhotoMapAI's umap_eps_auto.npz fingerprint).
std::string ClusterEpsFingerprint(const float* xy, size_t n, int min_samples);

}  // namespace photomap::map
