#include "map/cluster_eps.h"

#include <blake2.h>

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "map/dbscan.h"
#include "map/kd_tree_2d.h"

namespace photomap::map {

Status ValidateClusterEps(double eps) {
  if (!std::isfinite(eps) || eps < kMinClusterEps) {
    return InvalidInput("cluster_eps: " + std::to_string(eps) +
                        " is out of range; use a finite value >= 0.01, or null for automatic");
  }
  return Status::Ok();
}

std::vector<double> KthNeighborDistances(const float* xy, size_t n, int min_samples) {
  const long k = std::min<long>(min_samples, static_cast<long>(n) - 1);
  std::vector<double> d;
  if (k < 1) return d;
  const KdTree2d tree(xy, n);
  d.resize(n);
  for (size_t i = 0; i < n; ++i) {
    d[i] = std::sqrt(tree.KthNearestSquared(xy[2 * i], xy[2 * i + 1], static_cast<size_t>(k) + 1));
  }
  return d;
}

double Percentile(const std::vector<double>& v, double q) {
  // numpy 1.2x: virtual index n*q + (alpha + q*(1 - alpha - beta)) - 1 with alpha = beta = 1,
  // then _lerp(a, b, t), which evaluates from the nearer end.
  const double quantile = q / 100.0;
  const double n = static_cast<double>(v.size());
  const double virtual_index = n * quantile + (1.0 + quantile * (1.0 - 1.0 - 1.0)) - 1.0;
  const double below = std::floor(virtual_index);
  const double t = virtual_index - below;
  const size_t lo = static_cast<size_t>(std::clamp(below, 0.0, n - 1));
  const size_t hi = static_cast<size_t>(std::clamp(below + 1, 0.0, n - 1));
  const double a = v[lo], b = v[hi];
  const double diff = b - a;
  return t >= 0.5 ? b - diff * (1.0 - t) : a + diff * t;
}

double TopClusterShare(const float* xy, size_t n, double eps, int min_samples) {
  Result<std::vector<int32_t>> labels = Dbscan(xy, n, eps, min_samples);
  if (!labels.ok() || n == 0) return 0.0;
  std::vector<size_t> sizes(static_cast<size_t>(ClusterCount(*labels)), 0);
  for (int32_t l : *labels) {
    if (l >= 0) ++sizes[l];
  }
  const size_t top = sizes.empty() ? 0 : *std::max_element(sizes.begin(), sizes.end());
  return static_cast<double>(top) / static_cast<double>(n);
}

double AdaptiveClusterEps(const float* xy, size_t n, int min_samples) {
  std::vector<double> d = KthNeighborDistances(xy, n, min_samples);
  if (d.empty()) return kFallbackClusterEps;
  std::sort(d.begin(), d.end());
  std::vector<double> candidates;
  for (double q = 40; q <= 90; q += 10) {
    const double c = Percentile(d, q);
    if (c > 0) candidates.push_back(c);
  }
  if (candidates.empty()) return kFallbackClusterEps;
  double best = candidates[0];
  for (double e : candidates) {
    if (TopClusterShare(xy, n, e, min_samples) > kMaxTopClusterShare) break;
    best = e;
  }
  return best;
}

size_t CountNeighborPairs(const float* xy, size_t n, double eps, size_t limit) {
  if (n == 0) return 0;
  const KdTree2d tree(xy, n);
  const double r2 = eps * eps;
  size_t total = 0;
  for (size_t i = 0; i < n && total <= limit; ++i) {
    total += tree.CountWithin(xy[2 * i], xy[2 * i + 1], r2, limit - total);
  }
  return total;
}

double ResolveClusterEps(const float* xy, size_t n, std::optional<double> requested,
                         int min_samples) {
  double eps;
  if (requested) {
    eps = *requested;  // a typed value is never span-clamped
  } else {
    eps = AdaptiveClusterEps(xy, n, min_samples);
    float span = 0.0f;
    if (n > 1) {
      for (int d = 0; d < 2; ++d) {
        float lo = xy[d], hi = xy[d];
        for (size_t i = 1; i < n; ++i) {
          lo = std::min(lo, xy[2 * i + d]);
          hi = std::max(hi, xy[2 * i + d]);
        }
        span = std::max(span, hi - lo);  // float32, as numpy's ptp on the float32 coordinates
      }
    }
    if (span > 0) eps = std::min(eps, 0.25 * static_cast<double>(span));
  }
  eps = std::max(eps, kMinClusterEps);
  if (n >= 2) {
    while (eps > kMinBudgetedEps) {
      if (CountNeighborPairs(xy, n, eps, kMaxNeighborPairs) <= kMaxNeighborPairs) return eps;
      eps *= 0.7;
    }
  }
  return eps;
}

std::string ClusterEpsFingerprint(const float* xy, size_t n, int min_samples) {
  blake2b_state state;
  uint8_t digest[16];
  blake2b_init(&state, sizeof(digest));
  blake2b_update(&state, reinterpret_cast<const uint8_t*>(xy), n * 2 * sizeof(float));
  const std::string ms = std::to_string(min_samples);
  blake2b_update(&state, reinterpret_cast<const uint8_t*>(ms.data()), ms.size());
  blake2b_final(&state, digest, sizeof(digest));
  std::string hex;
  char buf[3];
  for (uint8_t b : digest) {
    std::snprintf(buf, sizeof(buf), "%02x", b);
    hex += buf;
  }
  return hex;
}

}  // namespace photomap::map
