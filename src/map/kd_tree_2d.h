// KdTree2d: a static kd-tree over 2-D points for the exact neighbour queries of DBSCAN and Cluster
// Strength (radius counts, radius visits, k-th neighbour distance).
//
// Distances follow scikit-learn's KDTree: squared Euclidean in double precision from the float32
// coordinates, a radius r matching when d² <= r·r. Immutable after construction; queries are
// thread-safe. Holds a copy of the points.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

namespace photomap::map {

class KdTree2d {
 public:
  // Builds the tree over `n` points (x, y interleaved).
  KdTree2d(const float* xy, size_t n);

  KdTree2d(const KdTree2d&) = delete;
  KdTree2d& operator=(const KdTree2d&) = delete;

  // Returns |{j : d²(p, j) <= r2}| for the point p = (x, y), stopping early once it exceeds
  // `limit`.
  size_t CountWithin(double x, double y, double r2, size_t limit = SIZE_MAX) const;

  // Calls visit(j) for every point j with d²(p, j) <= r2, in no particular order.
  template <typename Visit>
  void ForEachWithin(double x, double y, double r2, Visit&& visit) const {
    if (nodes_.empty()) return;
    int32_t stack[kMaxStack];
    int top = 0;
    stack[top++] = 0;
    while (top > 0) {
      const Node& n = nodes_[stack[--top]];
      if (MinDist2(n, x, y) > r2) continue;
      if (n.left < 0) {
        for (uint32_t i = n.begin; i < n.end; ++i) {
          const double dx = x - px_[i], dy = y - py_[i];
          if (dx * dx + dy * dy <= r2) visit(id_[i]);
        }
      } else {
        stack[top++] = n.left;
        stack[top++] = n.right;
      }
    }
  }

  // Returns the squared distance to the k-th nearest point of p (p itself counts if it is in the
  // tree). Requires: 1 <= k <= size().
  double KthNearestSquared(double x, double y, size_t k) const;

  size_t size() const { return px_.size(); }

 private:
  // Median splits keep the depth <= log2(N / kLeafSize) + 1, so a fixed stack suffices.
  static constexpr uint32_t kLeafSize = 16;
  static constexpr int kMaxStack = 128;

  struct Node {
    double lo[2], hi[2];  // bounding box
    uint32_t begin, end;  // range in the permuted arrays
    int32_t left = -1, right = -1;
  };
  int32_t Build(uint32_t begin, uint32_t end);
  static double MinDist2(const Node& n, double x, double y);
  static double MaxDist2(const Node& n, double x, double y);

  std::vector<double> px_, py_;  // permuted coordinates
  std::vector<int32_t> id_;      // original index of each permuted point
  std::vector<Node> nodes_;
};

}  // namespace photomap::map
