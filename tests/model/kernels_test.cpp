// The vectorised elementwise kernels and attention against straightforward double-precision
// formulas.
#include <gtest/gtest.h>

#include <cmath>
#include <random>

#include "model/transformer.h"

namespace photomap::model {
namespace {

TEST(KernelsTest, ExpIsAccurate) {
  std::vector<float> x, y;
  for (float v = -87.0f; v <= 88.0f; v += 0.0137f) x.push_back(v);
  x.push_back(0.0f);
  y.resize(x.size());
  VecExp(x.data(), y.data(), x.size());
  double worst = 0;
  for (size_t i = 0; i < x.size(); ++i) {
    double want = std::exp(static_cast<double>(x[i]));
    worst = std::max(worst, std::fabs(y[i] - want) / want);
  }
  EXPECT_LT(worst, 3e-7);  // a few float ulps
  EXPECT_EQ(y.back(), 1.0f);
  float big[] = {-1000.0f, 1000.0f, -std::numeric_limits<float>::infinity()};
  float out[3];
  VecExp(big, out, 3);
  EXPECT_LT(out[0], 1e-37f);
  EXPECT_GE(out[0], 0.0f);
  EXPECT_TRUE(std::isfinite(out[1]));
  EXPECT_LT(out[2], 1e-37f);
}

TEST(KernelsTest, ErfIsAccurate) {
  std::vector<float> x, y;
  for (float v = -6.0f; v <= 6.0f; v += 0.001f) x.push_back(v);
  y.resize(x.size());
  VecErf(x.data(), y.data(), x.size());
  double worst = 0;
  for (size_t i = 0; i < x.size(); ++i) {
    worst = std::max(worst, std::fabs(y[i] - std::erf(static_cast<double>(x[i]))));
  }
  EXPECT_LT(worst, 5e-7);
}

TEST(KernelsTest, ActivationsMatchTheirDefinitions) {
  std::vector<float> x;
  for (float v = -12.0f; v <= 12.0f; v += 0.003f) x.push_back(v);
  auto check = [&](Activation act, auto formula) {
    std::vector<float> y = x;
    ApplyActivation(act, y.data(), y.size());
    double worst = 0;
    for (size_t i = 0; i < x.size(); ++i) {
      double want = formula(static_cast<double>(x[i]));
      worst = std::max(worst, std::fabs(y[i] - want) / std::max(1.0, std::fabs(want)));
    }
    EXPECT_LT(worst, 1e-6) << ActivationName(act);
  };
  check(Activation::kQuickGelu, [](double v) { return v / (1 + std::exp(-1.702 * v)); });
  check(Activation::kGelu, [](double v) { return 0.5 * v * (1 + std::erf(v / std::sqrt(2.0))); });
  check(Activation::kGeluTanh, [](double v) {
    return 0.5 * v * (1 + std::tanh(std::sqrt(2 / M_PI) * (v + 0.044715 * v * v * v)));
  });
  check(Activation::kRelu, [](double v) { return v > 0 ? v : 0.0; });
}

TEST(KernelsTest, LayerNormMatchesDouble) {
  std::mt19937 rng(3);
  std::normal_distribution<float> nd(3.0f, 10.0f);  // offset and large spread, as in real towers
  const int rows = 5, dim = 768;
  std::vector<float> x(rows * dim), y(rows * dim);
  for (auto& v : x) v = nd(rng);
  LayerNormWeights ln{Tensor({dim}), Tensor({dim})};
  for (int i = 0; i < dim; ++i) {
    ln.weight.data[i] = 1.0f + 0.01f * i / dim;
    ln.bias.data[i] = -0.5f + 1.0f * i / dim;
  }
  LayerNorm(x.data(), rows, dim, ln, 1e-5f, y.data());
  for (int r = 0; r < rows; ++r) {
    double mean = 0, var = 0;
    for (int i = 0; i < dim; ++i) mean += x[r * dim + i];
    mean /= dim;
    for (int i = 0; i < dim; ++i) var += (x[r * dim + i] - mean) * (x[r * dim + i] - mean);
    var /= dim;
    for (int i = 0; i < dim; ++i) {
      double want =
          (x[r * dim + i] - mean) / std::sqrt(var + 1e-5) * ln.weight.data[i] + ln.bias.data[i];
      ASSERT_NEAR(y[r * dim + i], want, 2e-5);
    }
  }
  LayerNorm(x.data(), rows, dim, ln, 1e-5f, x.data());  // in place gives the same
  EXPECT_EQ(x, y);
}

TEST(KernelsTest, SoftmaxRowMasks) {
  std::vector<float> row = {1.0f, 2.0f, 3.0f, 4.0f};
  int32_t keep[] = {1, 0, 1, 1};
  SoftmaxRow(row.data(), 4, keep, 2);  // causal row 2: keys 0..2, key 1 padded
  double e0 = std::exp(1.0), e2 = std::exp(3.0);
  EXPECT_NEAR(row[0], e0 / (e0 + e2), 1e-6);
  EXPECT_EQ(row[1], 0.0f);
  EXPECT_NEAR(row[2], e2 / (e0 + e2), 1e-6);
  EXPECT_EQ(row[3], 0.0f);
  std::vector<float> all_masked = {1.0f, 2.0f};
  int32_t none[] = {0, 0};
  SoftmaxRow(all_masked.data(), 2, none, -1);
  EXPECT_EQ(all_masked, (std::vector<float>{0.0f, 0.0f}));
}

// Attention through both backends against a double implementation, causal + padding masks.
TEST(KernelsTest, MultiHeadAttentionMatchesDouble) {
  std::mt19937 rng(11);
  std::uniform_real_distribution<float> u(-2.0f, 2.0f);
  const int batch = 3, seq = 7, heads = 4, hd = 8, d = heads * hd;
  std::vector<float> qkv(batch * seq * 3 * d);
  for (auto& v : qkv) v = u(rng);
  std::vector<int32_t> keep(batch * seq, 1);
  keep[1 * seq + 5] = 0;
  keep[2 * seq + 6] = 0;
  for (bool causal : {false, true}) {
    AttentionMask mask{causal, keep.data()};
    std::vector<double> want(batch * seq * d);
    for (int b = 0; b < batch; ++b) {
      for (int h = 0; h < heads; ++h) {
        for (int i = 0; i < seq; ++i) {
          std::vector<double> s(seq, -1e300);
          double mx = -1e300;
          for (int j = 0; j < seq; ++j) {
            if ((causal && j > i) || keep[b * seq + j] == 0) continue;
            double dot = 0;
            for (int t = 0; t < hd; ++t) {
              dot += double(qkv[(b * seq + i) * 3 * d + h * hd + t]) *
                     qkv[(b * seq + j) * 3 * d + d + h * hd + t];
            }
            s[j] = dot / std::sqrt(double(hd));
            mx = std::max(mx, s[j]);
          }
          double sum = 0;
          for (int j = 0; j < seq; ++j) sum += s[j] > -1e299 ? std::exp(s[j] - mx) : 0;
          for (int t = 0; t < hd; ++t) {
            double acc = 0;
            for (int j = 0; j < seq; ++j) {
              if (s[j] <= -1e299) continue;
              acc += std::exp(s[j] - mx) / sum * qkv[(b * seq + j) * 3 * d + 2 * d + h * hd + t];
            }
            want[(b * seq + i) * d + h * hd + t] = acc;
          }
        }
      }
    }
    for (auto make : {&MakeReferenceGemm, &MakeOpenBlasGemm}) {
      auto gemm = make();
      Workspace ws;
      std::vector<float> out(batch * seq * d);
      MultiHeadAttention(*gemm, qkv.data(), 3 * d, qkv.data() + d, 3 * d, qkv.data() + 2 * d, 3 * d,
                         batch, seq, seq, heads, hd, mask, out.data(), d, ws);
      for (size_t i = 0; i < out.size(); ++i) {
        ASSERT_NEAR(out[i], want[i], 2e-5) << gemm->name() << " causal=" << causal << " i=" << i;
      }
    }
  }
}

TEST(KernelsTest, L2NormalizeRows) {
  std::vector<float> x = {3, 4, 0, 0};
  L2NormalizeRows(x.data(), 2, 2);
  EXPECT_FLOAT_EQ(x[0], 0.6f);
  EXPECT_FLOAT_EQ(x[1], 0.8f);
  EXPECT_EQ(x[2], 0.0f);
  EXPECT_EQ(x[3], 0.0f);
}

}  // namespace
}  // namespace photomap::model
