#include "model/random_weights.h"

#include <cmath>
#include <functional>
#include <random>

namespace photomap::model {

namespace {

class RandomWeights final : public WeightSource {
 public:
  explicit RandomWeights(uint64_t seed) : seed_(seed) {}

  std::string label() const override {
    return "random weights (seed " + std::to_string(seed_) + ")";
  }
  // Never claims a tensor it was not asked for, so layer-count checks see exactly the config.
  bool Contains(const std::string&) const override { return false; }

  Result<Tensor> Load(const std::string& name, const std::vector<int64_t>& shape) const override {
    Tensor t(shape);
    std::mt19937_64 rng(seed_ ^ std::hash<std::string>{}(name));
    const bool is_norm_weight =
        (name.find("norm") != std::string::npos || name.find("ln_") != std::string::npos) &&
        name.size() >= 6 && name.compare(name.size() - 6, 6, "weight") == 0;
    float scale;
    float offset = 0.0f;
    if (shape.size() >= 2) {
      int64_t fan_in = 1;
      for (size_t i = 1; i < shape.size(); ++i) fan_in *= shape[i];
      scale = 1.0f / std::sqrt(static_cast<float>(fan_in));
    } else if (is_norm_weight) {
      scale = 0.05f;
      offset = 1.0f;
    } else {
      scale = 0.02f;
    }
    std::uniform_real_distribution<float> u(-scale, scale);
    for (float& v : t.data) v = offset + u(rng);
    return t;
  }

 private:
  uint64_t seed_;
};

}  // namespace

std::unique_ptr<WeightSource> MakeRandomWeights(uint64_t seed) {
  return std::make_unique<RandomWeights>(seed);
}

}  // namespace photomap::model
