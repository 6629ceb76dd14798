// MatrixView: a non-owning view of a row-major float32 matrix (rows x cols), the shape every map/
// function takes its embeddings and layouts in.
//
// The caller owns the memory and keeps it alive and unchanged for the duration of the call. A
// plain value type; safe to share between threads for reading.
#pragma once

#include <cstddef>
#include <vector>

namespace photomap::map {

struct MatrixView {
  const float* data = nullptr;
  size_t rows = 0;
  size_t cols = 0;

  const float* row(size_t i) const { return data + i * cols; }
  bool empty() const { return rows == 0; }
};

// Returns a view of `values` as rows x cols. Requires: values.size() == rows * cols.
inline MatrixView ViewOf(const std::vector<float>& values, size_t rows, size_t cols) {
  return MatrixView{values.data(), rows, cols};
}

// Returns a copy of `x` with every row scaled to unit L2 norm; all-zero rows stay zero.
std::vector<float> NormalizedRows(const MatrixView& x);

}  // namespace photomap::map
