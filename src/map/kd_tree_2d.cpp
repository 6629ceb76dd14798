#include "map/kd_tree_2d.h"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <queue>

namespace photomap::map {

KdTree2d::KdTree2d(const float* xy, size_t n) : px_(n), py_(n), id_(n) {
  std::iota(id_.begin(), id_.end(), 0);
  for (size_t i = 0; i < n; ++i) {
    px_[i] = xy[2 * i];
    py_[i] = xy[2 * i + 1];
  }
  if (n > 0) {
    nodes_.reserve(2 * (n / kLeafSize + 1));
    Build(0, static_cast<uint32_t>(n));
  }
}

int32_t KdTree2d::Build(uint32_t begin, uint32_t end) {
  Node node;
  node.begin = begin;
  node.end = end;
  node.lo[0] = node.lo[1] = INFINITY;
  node.hi[0] = node.hi[1] = -INFINITY;
  for (uint32_t i = begin; i < end; ++i) {
    node.lo[0] = std::min(node.lo[0], px_[i]);
    node.hi[0] = std::max(node.hi[0], px_[i]);
    node.lo[1] = std::min(node.lo[1], py_[i]);
    node.hi[1] = std::max(node.hi[1], py_[i]);
  }
  const int32_t self = static_cast<int32_t>(nodes_.size());
  nodes_.push_back(node);
  if (end - begin <= kLeafSize) return self;
  const int dim = (node.hi[0] - node.lo[0]) >= (node.hi[1] - node.lo[1]) ? 0 : 1;
  const std::vector<double>& key = dim == 0 ? px_ : py_;
  // Sort a permutation of the range by the split coordinate's median, then apply it.
  std::vector<uint32_t> perm(end - begin);
  std::iota(perm.begin(), perm.end(), begin);
  const uint32_t mid = (end - begin) / 2;
  std::nth_element(perm.begin(), perm.begin() + mid, perm.end(), [&key](uint32_t a, uint32_t b) {
    return key[a] < key[b] || (key[a] == key[b] && a < b);
  });
  std::vector<double> tx(perm.size()), ty(perm.size());
  std::vector<int32_t> tid(perm.size());
  for (size_t i = 0; i < perm.size(); ++i) {
    tx[i] = px_[perm[i]];
    ty[i] = py_[perm[i]];
    tid[i] = id_[perm[i]];
  }
  std::copy(tx.begin(), tx.end(), px_.begin() + begin);
  std::copy(ty.begin(), ty.end(), py_.begin() + begin);
  std::copy(tid.begin(), tid.end(), id_.begin() + begin);
  const int32_t left = Build(begin, begin + mid);
  const int32_t right = Build(begin + mid, end);
  nodes_[self].left = left;
  nodes_[self].right = right;
  return self;
}

double KdTree2d::MinDist2(const Node& n, double x, double y) {
  const double dx = std::max({n.lo[0] - x, 0.0, x - n.hi[0]});
  const double dy = std::max({n.lo[1] - y, 0.0, y - n.hi[1]});
  return dx * dx + dy * dy;
}

double KdTree2d::MaxDist2(const Node& n, double x, double y) {
  const double dx = std::max(x - n.lo[0], n.hi[0] - x);
  const double dy = std::max(y - n.lo[1], n.hi[1] - y);
  return dx * dx + dy * dy;
}

size_t KdTree2d::CountWithin(double x, double y, double r2, size_t limit) const {
  if (nodes_.empty()) return 0;
  size_t count = 0;
  int32_t stack[kMaxStack];
  int top = 0;
  stack[top++] = 0;
  while (top > 0 && count <= limit) {
    const Node& n = nodes_[stack[--top]];
    if (MinDist2(n, x, y) > r2) continue;
    if (MaxDist2(n, x, y) <= r2) {
      count += n.end - n.begin;
    } else if (n.left < 0) {
      for (uint32_t i = n.begin; i < n.end; ++i) {
        const double dx = x - px_[i], dy = y - py_[i];
        if (dx * dx + dy * dy <= r2) ++count;
      }
    } else {
      stack[top++] = n.left;
      stack[top++] = n.right;
    }
  }
  return count;
}

double KdTree2d::KthNearestSquared(double x, double y, size_t k) const {
  std::priority_queue<double> best;  // the k smallest squared distances so far (max on top)
  int32_t stack[kMaxStack];
  int top = 0;
  stack[top++] = 0;
  while (top > 0) {
    const Node& n = nodes_[stack[--top]];
    if (best.size() == k && MinDist2(n, x, y) > best.top()) continue;
    if (n.left < 0) {
      for (uint32_t i = n.begin; i < n.end; ++i) {
        const double dx = x - px_[i], dy = y - py_[i];
        const double d2 = dx * dx + dy * dy;
        if (best.size() < k) {
          best.push(d2);
        } else if (d2 < best.top()) {
          best.pop();
          best.push(d2);
        }
      }
    } else {
      // Visit the nearer child last so it is popped first.
      const bool left_nearer = MinDist2(nodes_[n.left], x, y) <= MinDist2(nodes_[n.right], x, y);
      stack[top++] = left_nearer ? n.right : n.left;
      stack[top++] = left_nearer ? n.left : n.right;
    }
  }
  return best.top();
}

}  // namespace photomap::map
