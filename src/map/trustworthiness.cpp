#include "map/trustworthiness.h"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <string>

namespace photomap::map {

Result<double> Trustworthiness(const MatrixView& x, const std::vector<float>& layout, int k) {
  const size_t n = x.rows;
  if (layout.size() != 2 * n || k < 1 || static_cast<double>(k) >= static_cast<double>(n) / 2.0) {
    return InvalidInput("trustworthiness: needs a layout of " + std::to_string(n) +
                        " points and 1 <= k < N/2 (k = " + std::to_string(k) + ")");
  }
  std::vector<double> dist(n);
  std::vector<size_t> order(n), rank(n);
  double penalty = 0;
  for (size_t i = 0; i < n; ++i) {
    for (size_t j = 0; j < n; ++j) {
      double s = 0;
      for (size_t d = 0; d < x.cols; ++d) {
        const double t = static_cast<double>(x.row(i)[d]) - x.row(j)[d];
        s += t * t;
      }
      dist[j] = j == i ? INFINITY : s;
    }
    std::iota(order.begin(), order.end(), 0);
    std::sort(order.begin(), order.end(), [&](size_t a, size_t b) {
      return dist[a] < dist[b] || (dist[a] == dist[b] && a < b);
    });
    for (size_t r = 0; r < n; ++r) rank[order[r]] = r + 1;  // 1-based rank in input space
    // The k nearest other points in the layout (ties by index).
    std::vector<std::pair<double, size_t>> near;
    for (size_t j = 0; j < n; ++j) {
      if (j == i) continue;
      const double dx = layout[2 * i] - layout[2 * j], dy = layout[2 * i + 1] - layout[2 * j + 1];
      near.emplace_back(dx * dx + dy * dy, j);
    }
    std::partial_sort(near.begin(), near.begin() + k, near.end());
    for (int r = 0; r < k; ++r) {
      const double excess = static_cast<double>(rank[near[r].second]) - k;
      if (excess > 0) penalty += excess;
    }
  }
  const double nd = static_cast<double>(n), kd = k;
  return 1.0 - penalty * (2.0 / (nd * kd * (2.0 * nd - 3.0 * kd - 1.0)));
}

}  // namespace photomap::map
