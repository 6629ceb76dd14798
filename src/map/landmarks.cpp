#include "map/landmarks.h"

#include <cmath>
#include <map>
#include <string>

namespace photomap::map {

Result<std::vector<ClusterCentroid>> ClusterCentroids(const MatrixView& x,
                                                      const std::vector<int32_t>& labels) {
  if (labels.size() != x.rows) {
    return InvalidInput("cluster centroids: " + std::to_string(labels.size()) + " labels for " +
                        std::to_string(x.rows) + " embedding rows");
  }
  std::map<int32_t, size_t> slot;
  for (int32_t l : labels) {
    if (l >= 0) slot.emplace(l, 0);
  }
  std::vector<ClusterCentroid> out;
  for (auto& [id, s] : slot) {
    s = out.size();
    out.push_back(ClusterCentroid{id, 0, std::vector<float>(x.cols, 0.0f), -1});
  }
  std::vector<std::vector<double>> sums(out.size(), std::vector<double>(x.cols, 0.0));
  for (size_t i = 0; i < x.rows; ++i) {
    if (labels[i] < 0) continue;
    const size_t s = slot[labels[i]];
    ++out[s].size;
    for (size_t d = 0; d < x.cols; ++d) sums[s][d] += x.row(i)[d];
  }
  for (size_t s = 0; s < out.size(); ++s) {
    double ss = 0;
    for (size_t d = 0; d < x.cols; ++d) {
      sums[s][d] /= static_cast<double>(out[s].size);
      ss += sums[s][d] * sums[s][d];
    }
    const double inv = ss > 0 ? 1.0 / std::sqrt(ss) : 1.0;  // a zero norm is treated as 1
    for (size_t d = 0; d < x.cols; ++d) out[s].unit_mean[d] = static_cast<float>(sums[s][d] * inv);
  }
  std::vector<double> best(out.size(), -INFINITY);
  for (size_t i = 0; i < x.rows; ++i) {
    if (labels[i] < 0) continue;
    const size_t s = slot[labels[i]];
    double dot = 0;
    for (size_t d = 0; d < x.cols; ++d)
      dot += static_cast<double>(x.row(i)[d]) * out[s].unit_mean[d];
    if (dot > best[s]) {
      best[s] = dot;
      out[s].medoid_row = static_cast<int64_t>(i);
    }
  }
  return out;
}

Result<std::vector<Landmark>> ComputeLandmarks(const MatrixView& x, const std::vector<float>& xy,
                                               const std::vector<int32_t>& labels) {
  if (xy.size() != labels.size() * 2) {
    return InvalidInput("landmarks: layout has " + std::to_string(xy.size() / 2) + " points for " +
                        std::to_string(labels.size()) + " labels");
  }
  Result<std::vector<ClusterCentroid>> centroids = ClusterCentroids(x, labels);
  if (!centroids.ok()) return centroids.error();
  std::map<int32_t, size_t> slot;
  std::vector<Landmark> out;
  std::vector<double> sx, sy;
  for (const ClusterCentroid& c : *centroids) {
    slot[c.cluster_id] = out.size();
    out.push_back(Landmark{c.cluster_id, c.size, c.medoid_row, 0, 0});
    sx.push_back(0);
    sy.push_back(0);
  }
  for (size_t i = 0; i < labels.size(); ++i) {
    if (labels[i] < 0) continue;
    const size_t s = slot[labels[i]];
    sx[s] += xy[2 * i];
    sy[s] += xy[2 * i + 1];
  }
  for (size_t s = 0; s < out.size(); ++s) {
    out[s].x = static_cast<float>(sx[s] / static_cast<double>(out[s].size));
    out[s].y = static_cast<float>(sy[s] / static_cast<double>(out[s].size));
  }
  return out;
}

}  // namespace photomap::map
