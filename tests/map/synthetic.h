// Seeded synthetic embeddings for the map tests: Gaussian clusters on the unit sphere.
#pragma once

#include <cmath>
#include <cstdint>
#include <vector>

#include "map/rng.h"

namespace photomap::map::testing {

struct Clusters {
  std::vector<float> x;        // n x dim, unit rows
  std::vector<int32_t> truth;  // cluster of each row
  size_t n = 0, dim = 0;
};

// `k` clusters of `per` points each in `dim` dimensions: random unit centres plus N(0, spread²/dim)
// noise per coordinate, rows normalised; rows are interleaved (row i belongs to cluster i % k).
inline Clusters GaussianClusters(int k, int per, int dim, double spread, uint64_t seed) {
  Rng rng(seed);
  std::vector<double> centres(static_cast<size_t>(k) * dim);
  for (int c = 0; c < k; ++c) {
    double ss = 0;
    for (int d = 0; d < dim; ++d) {
      centres[c * dim + d] = rng.Normal();
      ss += centres[c * dim + d] * centres[c * dim + d];
    }
    for (int d = 0; d < dim; ++d) centres[c * dim + d] /= std::sqrt(ss);
  }
  Clusters out;
  out.n = static_cast<size_t>(k) * per;
  out.dim = dim;
  out.x.resize(out.n * dim);
  for (size_t i = 0; i < out.n; ++i) {
    const int c = static_cast<int>(i % k);
    out.truth.push_back(c);
    double ss = 0;
    std::vector<double> v(dim);
    for (int d = 0; d < dim; ++d) {
      v[d] = centres[c * dim + d] + rng.Normal() * spread / std::sqrt(static_cast<double>(dim));
      ss += v[d] * v[d];
    }
    for (int d = 0; d < dim; ++d) out.x[i * dim + d] = static_cast<float>(v[d] / std::sqrt(ss));
  }
  return out;
}

}  // namespace photomap::map::testing
