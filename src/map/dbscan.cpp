#include "map/dbscan.h"

#include <algorithm>
#include <cmath>
#include <string>

#include "map/kd_tree_2d.h"

namespace photomap::map {

Result<std::vector<int32_t>> Dbscan(const float* xy, size_t n, double eps, int min_samples) {
  if (!std::isfinite(eps) || eps < 0) {
    return InvalidInput("dbscan: eps = " + std::to_string(eps) + " must be finite and >= 0");
  }
  if (min_samples < 1) {
    return InvalidInput("dbscan: min_samples = " + std::to_string(min_samples) + " must be >= 1");
  }
  for (size_t i = 0; i < 2 * n; ++i) {
    if (!std::isfinite(xy[i])) {
      return InvalidInput("dbscan: point " + std::to_string(i / 2) +
                          " has a non-finite coordinate");
    }
  }
  std::vector<int32_t> labels(n, -1);
  if (n == 0) return labels;
  const KdTree2d tree(xy, n);
  const double r2 = eps * eps;
  std::vector<char> core(n);
  for (size_t i = 0; i < n; ++i) {
    core[i] = tree.CountWithin(xy[2 * i], xy[2 * i + 1], r2) >= static_cast<size_t>(min_samples);
  }
  // scikit-learn's dbscan_inner expands each cluster depth-first from its lowest-index unlabelled
  // core point, pushing every unlabelled neighbour of a core point and labelling it when popped.
  // Every point pushed during one expansion ends in that cluster, so labelling it at push time
  // gives the same labels without pushing a point twice.
  std::vector<int32_t> stack;
  int32_t label = 0;
  for (size_t start = 0; start < n; ++start) {
    if (labels[start] != -1 || !core[start]) continue;
    labels[start] = label;
    stack.push_back(static_cast<int32_t>(start));
    while (!stack.empty()) {
      const size_t i = static_cast<size_t>(stack.back());
      stack.pop_back();
      if (!core[i]) continue;
      tree.ForEachWithin(xy[2 * i], xy[2 * i + 1], r2, [&](int32_t v) {
        if (labels[v] == -1) {
          labels[v] = label;
          stack.push_back(v);
        }
      });
    }
    ++label;
  }
  return labels;
}

int32_t ClusterCount(const std::vector<int32_t>& labels) {
  int32_t max_label = -1;
  for (int32_t l : labels) max_label = std::max(max_label, l);
  return max_label + 1;
}

}  // namespace photomap::map
