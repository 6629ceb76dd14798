// The two row kernels of the search scan, each with a scalar reference and AVX2 / AVX-512 twins
// (search_kernels_avx2.cpp, search_kernels_avx512.cpp) picked at run time:
//  - ExactDot: an fp32 dot product in one fixed order: 16 partial sums, lane l adding the
//    products of the elements j ≡ l (mod 16) in increasing j (multiply, then add: no FMA), then
//    the tree (l + l+8), (l + l+4), (l + l+2), (l + l+1). Every level gives the same bits, so
//    search scores do not depend on the CPU's instruction set, the thread count or the row's
//    place in a batch, which is what lets quantized_top_k.h re-score a subset exactly.
//  - Int8BlockDots: exact int32 dot products of int8 rows stored in 16-row blocks
//    (quantized_matrix.h) with an int8 query.
// Pure functions; thread-safe.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>

namespace photomap::search {

enum class KernelLevel { kScalar = 0, kAvx2 = 1, kAvx512 = 2 };

// The level the kernels run at: the best the CPU supports (kAvx512 needs AVX-512 F, BW and
// VNNI; kAvx2 needs AVX2), capped by ForceKernelLevelForTesting.
KernelLevel ActiveKernelLevel();

// Caps the level for every later call (nullopt removes the cap). Not for concurrent use with
// running scans; tests call it between searches.
void ForceKernelLevelForTesting(std::optional<KernelLevel> cap);

// The fixed-order dot product of a[0..dim) and b[0..dim). Requires: dim >= 0.
float ExactDot(const float* a, const float* b, int dim);

// out[i] = ExactDot(rows + i * dim, q, dim) for i < n.
void ExactDots(const float* rows, size_t n, int dim, const float* q, float* out);

// For the `num_blocks` 16-row blocks at `blocks` (each `groups` x 64 bytes: group g holds dims
// 4g..4g+3 of rows 0..15, 4 bytes per row) writes out[16 * b + r] = Σ_j row[j] * query[j],
// exactly. `row_sums[16 * b + r]` is Σ_j row[j] (the VNNI kernel needs it). `query` holds
// groups * 4 values in [-127, 127]; rows hold values in [-127, 127].
// Requires: blocks is 64-byte aligned.
void Int8BlockDots(const int8_t* blocks, const int32_t* row_sums, size_t num_blocks, int groups,
                   const int8_t* query, int32_t* out);

// The per-level implementations, for the dispatcher and the kernel tests.
namespace kernels {
float ExactDotScalar(const float* a, const float* b, int dim);
float ExactDotAvx2(const float* a, const float* b, int dim);
float ExactDotAvx512(const float* a, const float* b, int dim);
void Int8BlockDotsScalar(const int8_t* blocks, const int32_t* row_sums, size_t num_blocks,
                         int groups, const int8_t* query, int32_t* out);
void Int8BlockDotsAvx2(const int8_t* blocks, const int32_t* row_sums, size_t num_blocks, int groups,
                       const int8_t* query, int32_t* out);
void Int8BlockDotsAvx512(const int8_t* blocks, const int32_t* row_sums, size_t num_blocks,
                         int groups, const int8_t* query, int32_t* out);
}  // namespace kernels

}  // namespace photomap::search
