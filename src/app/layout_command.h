// `photomap layout --input X.npy --output Y.npy [--seed S] [--neighbors K] [--min-dist D]`: the
// map's UMAP on any float32/float64 N x D .npy (cosine metric), writing the N x 2 float32 layout
// as .npy — for comparing photomap's map with other UMAP implementations, or on its own.
#pragma once

#include <cstdint>
#include <string>

namespace photomap::app {

struct LayoutOptions {
  std::string input;
  std::string output;
  uint64_t seed = 0;
  int neighbors = 15;
  double min_dist = 0.05;
  int epochs = 0;  // 0: the default (200)
};

// Returns the exit code: 0 after writing the output, 1 with the error on stderr.
int RunLayout(const LayoutOptions& options);

}  // namespace photomap::app
