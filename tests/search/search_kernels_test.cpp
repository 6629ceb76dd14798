// The search kernels against their naive twins on every level this CPU can run: ExactDot must
// give the same bits on every level (and stay within Higham's bound of the exact dot product);
// Int8BlockDots must give the exact integer sums, including at ±127 where AVX2's maddubs would
// saturate without the sign trick.
#include "search/search_kernels.h"

#include <bit>
#include <cmath>
#include <random>
#include <vector>

#include <gtest/gtest.h>

#include "search/quantized_matrix.h"

namespace photomap::search {
namespace {

std::vector<KernelLevel> RunnableLevels() {
  ForceKernelLevelForTesting(std::nullopt);
  std::vector<KernelLevel> levels;
  for (int l = 0; l <= static_cast<int>(ActiveKernelLevel()); ++l) {
    levels.push_back(static_cast<KernelLevel>(l));
  }
  return levels;
}

float DotAt(KernelLevel level, const float* a, const float* b, int dim) {
  switch (level) {
    case KernelLevel::kAvx512:
      return kernels::ExactDotAvx512(a, b, dim);
    case KernelLevel::kAvx2:
      return kernels::ExactDotAvx2(a, b, dim);
    case KernelLevel::kScalar:
      break;
  }
  return kernels::ExactDotScalar(a, b, dim);
}

TEST(SearchKernelsTest, ExactDotGivesTheSameBitsOnEveryLevel) {
  std::mt19937 rng(7);
  std::normal_distribution<float> normal;
  std::uniform_real_distribution<float> exponent(-30, 30);
  const auto levels = RunnableLevels();
  std::printf("levels tested: %zu (0 scalar, 1 +avx2, 2 +avx512)\n", levels.size());
  for (int dim : {0, 1, 3, 7, 15, 16, 17, 31, 33, 64, 100, 511, 512, 513, 768, 1152}) {
    for (int trial = 0; trial < 20; ++trial) {
      std::vector<float> a(dim), b(dim);
      for (int j = 0; j < dim; ++j) {
        // Mixed magnitudes make the summation order visible in the last bits.
        a[j] = normal(rng) * std::exp2(trial % 2 ? exponent(rng) : 0.0f);
        b[j] = normal(rng);
      }
      const float ref = kernels::ExactDotScalar(a.data(), b.data(), dim);
      for (KernelLevel level : levels) {
        const float got = DotAt(level, a.data(), b.data(), dim);
        ASSERT_EQ(std::bit_cast<uint32_t>(got), std::bit_cast<uint32_t>(ref))
            << "dim " << dim << " level " << static_cast<int>(level) << ": " << got << " vs "
            << ref;
      }
      double exact = 0, abs_sum = 0;
      for (int j = 0; j < dim; ++j) {
        exact += static_cast<double>(a[j]) * b[j];
        abs_sum += std::fabs(static_cast<double>(a[j]) * b[j]);
      }
      EXPECT_LE(std::fabs(ref - exact), DotErrorFactor(std::max(dim, 1)) * abs_sum)
          << "dim " << dim << ": Higham's bound, which the search's error bound relies on";
    }
  }
}

TEST(SearchKernelsTest, NegativeZeroPartialSumsMatchTheMaskedTail) {
  // -0 products: a lane holding -0 becomes +0 when the tail adds 0 * 0. All levels agree.
  std::vector<float> a(17, -0.0f), b(17, 1.0f);
  const float ref = kernels::ExactDotScalar(a.data(), b.data(), 17);
  for (KernelLevel level : RunnableLevels()) {
    EXPECT_EQ(std::bit_cast<uint32_t>(DotAt(level, a.data(), b.data(), 17)),
              std::bit_cast<uint32_t>(ref));
  }
}

void Int8At(KernelLevel level, const int8_t* blocks, const int32_t* sums, size_t nb, int groups,
            const int8_t* q, int32_t* out) {
  switch (level) {
    case KernelLevel::kAvx512:
      return kernels::Int8BlockDotsAvx512(blocks, sums, nb, groups, q, out);
    case KernelLevel::kAvx2:
      return kernels::Int8BlockDotsAvx2(blocks, sums, nb, groups, q, out);
    case KernelLevel::kScalar:
      break;
  }
  kernels::Int8BlockDotsScalar(blocks, sums, nb, groups, q, out);
}

TEST(SearchKernelsTest, Int8BlockDotsAreExactOnEveryLevel) {
  std::mt19937 rng(11);
  std::uniform_int_distribution<int> value(-127, 127);
  for (int dim : {1, 4, 5, 64, 130, 512}) {
    for (int pattern = 0; pattern < 4; ++pattern) {
      const size_t rows = 37;
      std::vector<float> m(rows * dim);
      std::vector<int8_t> q((dim + 3) / 4 * 4, 0);
      for (int j = 0; j < dim; ++j) {
        // pattern 1: all +127 x +127; 2: alternating signs at full scale; else random.
        q[j] = static_cast<int8_t>(pattern == 1   ? 127
                                   : pattern == 2 ? (j % 2 ? 127 : -127)
                                                  : value(rng));
      }
      for (size_t i = 0; i < rows * dim; ++i) {
        m[i] = static_cast<float>(pattern == 1   ? 127
                                  : pattern == 2 ? ((i % dim) % 2 ? 127 : -127)
                                                 : value(rng));
      }
      // Rows whose max is 127 quantize to themselves (scale 1).
      for (size_t r = 0; r < rows; ++r) m[r * dim] = 127;
      const QuantizedMatrix qm = QuantizeRows(m, rows, dim);
      std::vector<int32_t> expected(qm.num_blocks * 16, 0);
      for (size_t r = 0; r < rows; ++r) {
        for (int j = 0; j < dim; ++j) {
          expected[r] += static_cast<int32_t>(m[r * dim + j]) * q[j];
        }
      }
      for (KernelLevel level : RunnableLevels()) {
        std::vector<int32_t> out(qm.num_blocks * 16, -1);
        Int8At(level, qm.blocks.get(), qm.row_sums.data(), qm.num_blocks, qm.groups, q.data(),
               out.data());
        for (size_t r = 0; r < rows; ++r) {
          ASSERT_EQ(out[r], expected[r]) << "dim " << dim << " pattern " << pattern << " row " << r
                                         << " level " << static_cast<int>(level);
        }
        for (size_t r = rows; r < out.size(); ++r) ASSERT_EQ(out[r], 0) << "padding row " << r;
      }
    }
  }
}

TEST(SearchKernelsTest, ForcedLevelCapsTheDispatch) {
  ForceKernelLevelForTesting(KernelLevel::kScalar);
  EXPECT_EQ(ActiveKernelLevel(), KernelLevel::kScalar);
  ForceKernelLevelForTesting(std::nullopt);
  EXPECT_EQ(ActiveKernelLevel(), RunnableLevels().back());
}

}  // namespace
}  // namespace photomap::search
