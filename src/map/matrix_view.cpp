#include "map/matrix_view.h"

#include <cmath>

namespace photomap::map {

std::vector<float> NormalizedRows(const MatrixView& x) {
  std::vector<float> out(x.data, x.data + x.rows * x.cols);
  for (size_t i = 0; i < x.rows; ++i) {
    float* r = out.data() + i * x.cols;
    double ss = 0;
    for (size_t d = 0; d < x.cols; ++d) ss += static_cast<double>(r[d]) * r[d];
    if (ss > 0) {
      const float inv = static_cast<float>(1.0 / std::sqrt(ss));
      for (size_t d = 0; d < x.cols; ++d) r[d] *= inv;
    }
  }
  return out;
}

}  // namespace photomap::map
