// AVX2 twins of the search kernels (search_kernels.h): the same sums in the same order.
// Compiled with -ffp-contract=off so the multiply and add of ExactDot never fuse.
#include <immintrin.h>

#include <cstdint>
#include <cstring>

#include "search/search_kernels.h"

namespace photomap::search::kernels {
namespace {

#define PHOTOMAP_AVX2 __attribute__((target("avx2")))

PHOTOMAP_AVX2 inline __m256 TailMask(int count) {
  const __m256i lane = _mm256_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7);
  return _mm256_castsi256_ps(_mm256_cmpgt_epi32(_mm256_set1_epi32(count), lane));
}

PHOTOMAP_AVX2 inline __m256 MaskedLoad(const float* p, int count) {
  if (count <= 0) return _mm256_setzero_ps();
  if (count >= 8) return _mm256_loadu_ps(p);
  return _mm256_maskload_ps(p, _mm256_castps_si256(TailMask(count)));
}

}  // namespace

PHOTOMAP_AVX2 float ExactDotAvx2(const float* a, const float* b, int dim) {
  __m256 lo = _mm256_setzero_ps();  // lanes 0..7
  __m256 hi = _mm256_setzero_ps();  // lanes 8..15
  int j = 0;
  for (; j + 16 <= dim; j += 16) {
    lo = _mm256_add_ps(lo, _mm256_mul_ps(_mm256_loadu_ps(a + j), _mm256_loadu_ps(b + j)));
    hi = _mm256_add_ps(hi, _mm256_mul_ps(_mm256_loadu_ps(a + j + 8), _mm256_loadu_ps(b + j + 8)));
  }
  if (j < dim) {
    const int rem = dim - j;
    lo = _mm256_add_ps(lo, _mm256_mul_ps(MaskedLoad(a + j, rem), MaskedLoad(b + j, rem)));
    hi = _mm256_add_ps(
        hi, _mm256_mul_ps(MaskedLoad(a + j + 8, rem - 8), MaskedLoad(b + j + 8, rem - 8)));
  }
  const __m256 s8 = _mm256_add_ps(lo, hi);
  const __m128 s4 = _mm_add_ps(_mm256_castps256_ps128(s8), _mm256_extractf128_ps(s8, 1));
  const __m128 s2 = _mm_add_ps(s4, _mm_movehl_ps(s4, s4));
  const __m128 s1 = _mm_add_ss(s2, _mm_shuffle_ps(s2, s2, 1));
  return _mm_cvtss_f32(s1);
}

// maddubs multiplies unsigned by signed bytes and saturates pairs to int16. |q| * sign(e, q)
// keeps both factors within 127, so a pair sums to at most 2 * 127 * 127 < 32767: no saturation.
PHOTOMAP_AVX2 void Int8BlockDotsAvx2(const int8_t* blocks, const int32_t* /*row_sums*/,
                                     size_t num_blocks, int groups, const int8_t* query,
                                     int32_t* out) {
  const __m256i ones = _mm256_set1_epi16(1);
  for (size_t b = 0; b < num_blocks; ++b) {
    const int8_t* block = blocks + b * static_cast<size_t>(groups) * 64;
    __m256i lo = _mm256_setzero_si256();  // rows 0..7
    __m256i hi = _mm256_setzero_si256();  // rows 8..15
    for (int g = 0; g < groups; ++g) {
      int32_t q4 = 0;
      std::memcpy(&q4, query + g * 4, 4);
      const __m256i q = _mm256_set1_epi32(q4);
      const __m256i q_abs = _mm256_abs_epi8(q);
      const __m256i e_lo = _mm256_load_si256(reinterpret_cast<const __m256i*>(block + g * 64));
      const __m256i e_hi = _mm256_load_si256(reinterpret_cast<const __m256i*>(block + g * 64 + 32));
      lo = _mm256_add_epi32(
          lo, _mm256_madd_epi16(_mm256_maddubs_epi16(q_abs, _mm256_sign_epi8(e_lo, q)), ones));
      hi = _mm256_add_epi32(
          hi, _mm256_madd_epi16(_mm256_maddubs_epi16(q_abs, _mm256_sign_epi8(e_hi, q)), ones));
    }
    _mm256_storeu_si256(reinterpret_cast<__m256i*>(out + b * 16), lo);
    _mm256_storeu_si256(reinterpret_cast<__m256i*>(out + b * 16 + 8), hi);
  }
}

}  // namespace photomap::search::kernels
