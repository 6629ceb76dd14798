// Scalar references of the search kernels and the run-time dispatch (search_kernels.h).
#include "search/search_kernels.h"

#include <atomic>

namespace photomap::search {
namespace {

// -1: no cap; else the KernelLevel cap.
std::atomic<int> level_cap{-1};

KernelLevel DetectLevel() {
  __builtin_cpu_init();
  if (__builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512bw") &&
      __builtin_cpu_supports("avx512vnni")) {
    return KernelLevel::kAvx512;
  }
  if (__builtin_cpu_supports("avx2")) return KernelLevel::kAvx2;
  return KernelLevel::kScalar;
}

}  // namespace

KernelLevel ActiveKernelLevel() {
  static const KernelLevel detected = DetectLevel();
  const int cap = level_cap.load(std::memory_order_relaxed);
  if (cap >= 0 && cap < static_cast<int>(detected)) return static_cast<KernelLevel>(cap);
  return detected;
}

void ForceKernelLevelForTesting(std::optional<KernelLevel> cap) {
  level_cap.store(cap ? static_cast<int>(*cap) : -1, std::memory_order_relaxed);
}

namespace kernels {

float ExactDotScalar(const float* a, const float* b, int dim) {
  float acc[16] = {};
  int j = 0;
  for (; j + 16 <= dim; j += 16) {
    for (int l = 0; l < 16; ++l) acc[l] = acc[l] + a[j + l] * b[j + l];
  }
  if (j < dim) {
    // The vector kernels load the tail masked (zeros past dim) and still add 0 * 0 to every
    // lane, which turns a -0 partial sum into +0; do the same.
    for (int l = 0; l < 16; ++l) acc[l] = acc[l] + (j + l < dim ? a[j + l] * b[j + l] : 0.0f);
  }
  for (int l = 0; l < 8; ++l) acc[l] = acc[l] + acc[l + 8];
  for (int l = 0; l < 4; ++l) acc[l] = acc[l] + acc[l + 4];
  for (int l = 0; l < 2; ++l) acc[l] = acc[l] + acc[l + 2];
  return acc[0] + acc[1];
}

void Int8BlockDotsScalar(const int8_t* blocks, const int32_t* /*row_sums*/, size_t num_blocks,
                         int groups, const int8_t* query, int32_t* out) {
  for (size_t b = 0; b < num_blocks; ++b) {
    const int8_t* block = blocks + b * static_cast<size_t>(groups) * 64;
    for (int r = 0; r < 16; ++r) {
      int32_t sum = 0;
      for (int g = 0; g < groups; ++g) {
        const int8_t* e = block + g * 64 + r * 4;
        const int8_t* q = query + g * 4;
        sum += e[0] * q[0] + e[1] * q[1] + e[2] * q[2] + e[3] * q[3];
      }
      out[b * 16 + r] = sum;
    }
  }
}

}  // namespace kernels

float ExactDot(const float* a, const float* b, int dim) {
  switch (ActiveKernelLevel()) {
    case KernelLevel::kAvx512:
      return kernels::ExactDotAvx512(a, b, dim);
    case KernelLevel::kAvx2:
      return kernels::ExactDotAvx2(a, b, dim);
    case KernelLevel::kScalar:
      break;
  }
  return kernels::ExactDotScalar(a, b, dim);
}

void ExactDots(const float* rows, size_t n, int dim, const float* q, float* out) {
  float (*dot)(const float*, const float*, int) = kernels::ExactDotScalar;
  switch (ActiveKernelLevel()) {
    case KernelLevel::kAvx512:
      dot = kernels::ExactDotAvx512;
      break;
    case KernelLevel::kAvx2:
      dot = kernels::ExactDotAvx2;
      break;
    case KernelLevel::kScalar:
      break;
  }
  for (size_t i = 0; i < n; ++i) out[i] = dot(rows + i * static_cast<size_t>(dim), q, dim);
}

void Int8BlockDots(const int8_t* blocks, const int32_t* row_sums, size_t num_blocks, int groups,
                   const int8_t* query, int32_t* out) {
  switch (ActiveKernelLevel()) {
    case KernelLevel::kAvx512:
      return kernels::Int8BlockDotsAvx512(blocks, row_sums, num_blocks, groups, query, out);
    case KernelLevel::kAvx2:
      return kernels::Int8BlockDotsAvx2(blocks, row_sums, num_blocks, groups, query, out);
    case KernelLevel::kScalar:
      break;
  }
  kernels::Int8BlockDotsScalar(blocks, row_sums, num_blocks, groups, query, out);
}

}  // namespace photomap::search
