#include "map/locality_order.h"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <utility>

namespace photomap::map {

namespace {

// The bits of v spread to the even positions of a 32-bit word.
uint32_t SpreadBits(uint32_t v) {
  v &= 0xffffu;
  v = (v | (v << 8)) & 0x00ff00ffu;
  v = (v | (v << 4)) & 0x0f0f0f0fu;
  v = (v | (v << 2)) & 0x33333333u;
  v = (v | (v << 1)) & 0x55555555u;
  return v;
}

}  // namespace

std::vector<int32_t> LocalityOrder(const std::vector<float>& xy) {
  const size_t n = xy.size() / 2;
  float lo[2] = {INFINITY, INFINITY}, hi[2] = {-INFINITY, -INFINITY};
  for (size_t i = 0; i < n; ++i) {
    for (int d = 0; d < 2; ++d) {
      lo[d] = std::min(lo[d], xy[2 * i + d]);
      hi[d] = std::max(hi[d], xy[2 * i + d]);
    }
  }
  std::vector<std::pair<uint32_t, int32_t>> keys(n);
  for (size_t i = 0; i < n; ++i) {
    uint32_t q[2];
    for (int d = 0; d < 2; ++d) {
      const float span = hi[d] - lo[d];
      const float u = span > 0 ? (xy[2 * i + d] - lo[d]) / span : 0.0f;  // NaN-free: finite input
      q[d] = static_cast<uint32_t>(std::clamp(u, 0.0f, 1.0f) * 65535.0f);
    }
    keys[i] = {SpreadBits(q[0]) | (SpreadBits(q[1]) << 1), static_cast<int32_t>(i)};
  }
  std::sort(keys.begin(), keys.end());
  std::vector<int32_t> order(n);
  for (size_t i = 0; i < n; ++i) order[i] = keys[i].second;
  return order;
}

SparseGraph PermuteGraph(const SparseGraph& g, const std::vector<int32_t>& order) {
  std::vector<int32_t> rename(g.n);
  for (size_t i = 0; i < g.n; ++i) rename[order[i]] = static_cast<int32_t>(i);
  SparseGraph out;
  out.n = g.n;
  out.row_start.assign(g.n + 1, 0);
  out.cols.reserve(g.cols.size());
  out.weights.reserve(g.weights.size());
  std::vector<std::pair<int32_t, float>> row;
  for (size_t i = 0; i < g.n; ++i) {
    const size_t old = static_cast<size_t>(order[i]);
    row.clear();
    for (size_t e = g.row_start[old]; e < g.row_start[old + 1]; ++e) {
      row.emplace_back(rename[g.cols[e]], g.weights[e]);
    }
    std::sort(row.begin(), row.end());
    for (const auto& [c, w] : row) {
      out.cols.push_back(c);
      out.weights.push_back(w);
    }
    out.row_start[i + 1] = out.cols.size();
  }
  return out;
}

}  // namespace photomap::map
