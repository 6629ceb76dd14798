// KdTree2d: a static kd-tree over 2-D points for the exact neighbour queries of DBSCAN and Cluster
// Strength (radius counts, radius visits, k-th neighbour distance).
//
// Distances follow scikit-learn's KDTree: squared Euclidean in double precision from the float32
// coordinates, a radius r matching when d² <= r·r. Immutable after construction; queries are
// thread-safe. Holds a copy of the points.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
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
  void ForEachWithin(double x, double y, double r2,
                     const std::function<void(int32_t)>& visit) const;

  // Returns the squared distance to the k-th nearest point of p (p itself counts if it is in the
  // tree). Requires: 1 <= k <= size().
  double KthNearestSquared(double x, double y, size_t k) const;

  size_t size() const { return px_.size(); }

 private:
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
