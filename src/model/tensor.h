// Tensor: a dense float32 array with a shape, the one value type the model graphs pass around.
//
// Row-major (C order), owned storage. Weights are converted to float32 when loaded, whatever their
// dtype on disk. A plain value type: cheap to move, not synchronised.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace photomap::model {

struct Tensor {
  std::vector<int64_t> shape;
  std::vector<float> data;

  Tensor() = default;
  explicit Tensor(std::vector<int64_t> s) : shape(std::move(s)), data(NumElements(shape), 0.0f) {}

  static size_t NumElements(const std::vector<int64_t>& s) {
    size_t n = 1;
    for (int64_t d : s) n *= static_cast<size_t>(d);
    return n;
  }
  size_t size() const { return data.size(); }
  int rank() const { return static_cast<int>(shape.size()); }
  int64_t dim(int i) const { return shape[static_cast<size_t>(i < 0 ? i + rank() : i)]; }
  float* ptr() { return data.data(); }
  const float* ptr() const { return data.data(); }
  bool empty() const { return data.empty(); }
};

// "[a, b, c]", for error messages.
inline std::string ShapeString(const std::vector<int64_t>& shape) {
  std::string s = "[";
  for (size_t i = 0; i < shape.size(); ++i) {
    if (i) s += ", ";
    s += std::to_string(shape[i]);
  }
  return s + "]";
}

}  // namespace photomap::model
