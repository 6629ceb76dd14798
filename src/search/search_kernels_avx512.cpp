// AVX-512 twins of the search kernels (search_kernels.h): the same sums in the same order.
// Compiled with -ffp-contract=off so the multiply and add of ExactDot never fuse.
#include <immintrin.h>

#include <cstdint>
#include <cstring>

#include "search/search_kernels.h"

namespace photomap::search::kernels {

#define PHOTOMAP_AVX512 __attribute__((target("avx512f,avx512bw,avx512vnni")))

PHOTOMAP_AVX512 float ExactDotAvx512(const float* a, const float* b, int dim) {
  __m512 acc = _mm512_setzero_ps();
  int j = 0;
  for (; j + 16 <= dim; j += 16) {
    acc = _mm512_add_ps(acc, _mm512_mul_ps(_mm512_loadu_ps(a + j), _mm512_loadu_ps(b + j)));
  }
  if (j < dim) {
    const __mmask16 mask = static_cast<__mmask16>((1u << (dim - j)) - 1u);
    acc = _mm512_add_ps(
        acc, _mm512_mul_ps(_mm512_maskz_loadu_ps(mask, a + j), _mm512_maskz_loadu_ps(mask, b + j)));
  }
  // GCC 12's _mm512_castps512_ps256 and unmasked extract read an "undefined" register that
  // -Werror=uninitialized rejects; the zero-masked extracts do not.
  const __m512d wide = _mm512_castps_pd(acc);
  const __m256 s8 = _mm256_add_ps(_mm256_castpd_ps(_mm512_maskz_extractf64x4_pd(0xFF, wide, 0)),
                                  _mm256_castpd_ps(_mm512_maskz_extractf64x4_pd(0xFF, wide, 1)));
  const __m128 s4 = _mm_add_ps(_mm256_castps256_ps128(s8), _mm256_extractf128_ps(s8, 1));
  const __m128 s2 = _mm_add_ps(s4, _mm_movehl_ps(s4, s4));
  const __m128 s1 = _mm_add_ss(s2, _mm_shuffle_ps(s2, s2, 1));
  return _mm_cvtss_f32(s1);
}

namespace {

// acc += (query group g + 128) · (block group g), 16 rows at once.
PHOTOMAP_AVX512 inline __m512i Step(__m512i acc, const int8_t* block, const int8_t* query, int g) {
  int32_t q4 = 0;
  std::memcpy(&q4, query + g * 4, 4);
  const __m512i q = _mm512_xor_si512(_mm512_set1_epi32(q4), _mm512_set1_epi8(-128));
  return _mm512_dpbusd_epi32(acc, q, _mm512_load_si512(block + g * 64));
}

}  // namespace

// vpdpbusd multiplies unsigned by signed bytes, so the query is offset to q + 128 in [1, 255]:
// Σ (q + 128) e = Σ q e + 128 Σ e, and the row sums take the 128 Σ e back off. Four independent
// accumulators hide the instruction's latency; integer sums are exact in any order.
PHOTOMAP_AVX512 void Int8BlockDotsAvx512(const int8_t* blocks, const int32_t* row_sums,
                                         size_t num_blocks, int groups, const int8_t* query,
                                         int32_t* out) {
  for (size_t b = 0; b < num_blocks; ++b) {
    const int8_t* block = blocks + b * static_cast<size_t>(groups) * 64;
    __m512i acc[4] = {_mm512_setzero_si512(), _mm512_setzero_si512(), _mm512_setzero_si512(),
                      _mm512_setzero_si512()};
    int g = 0;
    for (; g + 4 <= groups; g += 4) {
      acc[0] = Step(acc[0], block, query, g);
      acc[1] = Step(acc[1], block, query, g + 1);
      acc[2] = Step(acc[2], block, query, g + 2);
      acc[3] = Step(acc[3], block, query, g + 3);
    }
    for (; g < groups; ++g) acc[0] = Step(acc[0], block, query, g);
    __m512i sum =
        _mm512_add_epi32(_mm512_add_epi32(acc[0], acc[1]), _mm512_add_epi32(acc[2], acc[3]));
    sum = _mm512_sub_epi32(
        sum, _mm512_maskz_slli_epi32(0xFFFF, _mm512_loadu_si512(row_sums + b * 16), 7));
    _mm512_storeu_si512(out + b * 16, sum);
  }
}

}  // namespace photomap::search::kernels
