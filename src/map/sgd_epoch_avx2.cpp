// AVX2 twin of RunEpochScalar (sgd_epoch.cpp): the same operations in the same order, no FMA, so
// the same bits; the negative samples of an edge are drawn and evaluated 8 lanes at a time.
#include <immintrin.h>

#include <algorithm>
#include <atomic>

#include "map/fast_pow.h"
#include "map/sgd_epoch.h"

namespace photomap::map {

namespace {

std::atomic<bool> force_scalar{false};

#define PHOTOMAP_AVX2 __attribute__((target("avx2")))

PHOTOMAP_AVX2 inline __m256 FastPow8(__m256 x, __m256 p) {
  const __m256i bits = _mm256_castps_si256(_mm256_max_ps(x, _mm256_set1_ps(1.17549435e-38f)));
  const __m256 e =
      _mm256_cvtepi32_ps(_mm256_sub_epi32(_mm256_srli_epi32(bits, 23), _mm256_set1_epi32(127)));
  const __m256 f = _mm256_sub_ps(
      _mm256_castsi256_ps(_mm256_or_si256(_mm256_and_si256(bits, _mm256_set1_epi32(0x007fffff)),
                                          _mm256_set1_epi32(0x3f800000))),
      _mm256_set1_ps(1.0f));
  __m256 l = _mm256_set1_ps(-0.024825984f);
  l = _mm256_add_ps(_mm256_mul_ps(l, f), _mm256_set1_ps(0.11790686f));
  l = _mm256_sub_ps(_mm256_mul_ps(l, f), _mm256_set1_ps(0.27235583f));
  l = _mm256_add_ps(_mm256_mul_ps(l, f), _mm256_set1_ps(0.45385821f));
  l = _mm256_sub_ps(_mm256_mul_ps(l, f), _mm256_set1_ps(0.71698757f));
  l = _mm256_add_ps(_mm256_mul_ps(l, f), _mm256_set1_ps(1.44239559f));
  l = _mm256_add_ps(_mm256_mul_ps(l, f), _mm256_set1_ps(5.0603280e-06f));
  __m256 y = _mm256_mul_ps(p, _mm256_add_ps(e, l));
  const __m256 underflow = _mm256_cmp_ps(y, _mm256_set1_ps(-126.0f), _CMP_LT_OQ);
  y = _mm256_min_ps(y, _mm256_set1_ps(127.0f));
  const __m256 fl = _mm256_floor_ps(y);
  const __m256 g = _mm256_sub_ps(y, fl);
  __m256 q = _mm256_set1_ps(0.0018943794f);
  q = _mm256_add_ps(_mm256_mul_ps(q, g), _mm256_set1_ps(0.0089405825f));
  q = _mm256_add_ps(_mm256_mul_ps(q, g), _mm256_set1_ps(0.055876557f));
  q = _mm256_add_ps(_mm256_mul_ps(q, g), _mm256_set1_ps(0.24013169f));
  q = _mm256_add_ps(_mm256_mul_ps(q, g), _mm256_set1_ps(0.69315678f));
  q = _mm256_add_ps(_mm256_mul_ps(q, g), _mm256_set1_ps(0.99999977f));
  const __m256i scale =
      _mm256_slli_epi32(_mm256_add_epi32(_mm256_cvttps_epi32(fl), _mm256_set1_epi32(127)), 23);
  return _mm256_andnot_ps(underflow, _mm256_mul_ps(q, _mm256_castsi256_ps(scale)));
}

// ((v0 + v1) + (v2 + v3)) + ((v4 + v5) + (v6 + v7)), the scalar reference's tree.
PHOTOMAP_AVX2 inline float TreeSum(__m256 v) {
  const __m256 pairs = _mm256_add_ps(v, _mm256_permute_ps(v, _MM_SHUFFLE(2, 3, 0, 1)));
  const __m256 quads = _mm256_add_ps(pairs, _mm256_permute_ps(pairs, _MM_SHUFFLE(1, 0, 3, 2)));
  const __m128 total = _mm_add_ss(_mm256_castps256_ps128(quads), _mm256_extractf128_ps(quads, 1));
  return _mm_cvtss_f32(total);
}

PHOTOMAP_AVX2 inline __m256 ClipGradient8(__m256 v) {
  return _mm256_min_ps(_mm256_set1_ps(4.0f), _mm256_max_ps(_mm256_set1_ps(-4.0f), v));
}

PHOTOMAP_AVX2 void RunEpochAvx2(SgdEpochState& s, int epoch, float lr) {
  __m256i lanes = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(s.lanes));
  const __m256i n_tail = _mm256_set1_epi32(static_cast<int>(s.n_tail));
  const __m256 a8 = _mm256_set1_ps(s.a), b8 = _mm256_set1_ps(s.b), rep8 = _mm256_set1_ps(s.rep);
  const __m256i lane_ids = _mm256_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7);
  const __m256i own_lo = _mm256_set1_epi32(static_cast<int>(s.own_lo));
  const __m256i own_span = _mm256_set1_epi32(static_cast<int>(s.own_hi - s.own_lo));
  const __m256i snap = _mm256_set1_epi32(static_cast<int>(s.snap));
  for (size_t e = 0; e < s.n_edges; ++e) {
    if (s.next_sample[e] > static_cast<float>(epoch)) continue;
    const int32_t j = s.head[e];
    const uint32_t t = static_cast<uint32_t>(s.tail[e]);
    const bool own_t = t - s.own_lo < s.own_hi - s.own_lo;
    float* cur = s.h + 2 * static_cast<size_t>(j);
    float* oth = s.t + 2 * static_cast<size_t>(t) + (own_t ? 0 : s.snap);
    const float dx = cur[0] - oth[0], dy = cur[1] - oth[1];
    const float d2 = dx * dx + dy * dy;
    float gc = 0.0f;
    if (d2 > 0.0f) {
      const float pb = FastPow(d2, s.b);
      gc = -2.0f * s.a * s.b * pb / (d2 * (s.a * pb + 1.0f));
    }
    const float gx = std::min(4.0f, std::max(-4.0f, gc * dx));
    const float gy = std::min(4.0f, std::max(-4.0f, gc * dy));
    cur[0] += gx * lr;
    cur[1] += gy * lr;
    if (s.move_other) {
      float* moved = own_t ? oth : s.delta + 2 * static_cast<size_t>(t);
      moved[0] -= gx * lr;
      moved[1] -= gy * lr;
    }
    s.next_sample[e] += s.epochs_per_sample[e];
    const int n_neg =
        static_cast<int>((static_cast<float>(epoch) - s.next_neg[e]) / s.neg_period[e]);
    s.next_neg[e] += n_neg * s.neg_period[e];
    const __m256 cx = _mm256_set1_ps(cur[0]), cy = _mm256_set1_ps(cur[1]);
    float sx = 0.0f, sy = 0.0f;
    for (int p = 0; p < n_neg; p += 8) {
      const int count = std::min(8, n_neg - p);
      lanes = _mm256_xor_si256(lanes, _mm256_slli_epi32(lanes, 13));
      lanes = _mm256_xor_si256(lanes, _mm256_srli_epi32(lanes, 17));
      lanes = _mm256_xor_si256(lanes, _mm256_slli_epi32(lanes, 5));
      // k = (lane * n_tail) >> 32 per 32-bit lane: even and odd lanes through 64-bit products.
      const __m256i even = _mm256_srli_epi64(_mm256_mul_epu32(lanes, n_tail), 32);
      const __m256i odd = _mm256_mul_epu32(_mm256_srli_epi64(lanes, 32), n_tail);
      const __m256i k = _mm256_blend_epi32(even, odd, 0b10101010);
      __m256i skip = _mm256_cmpgt_epi32(_mm256_set1_epi32(count), lane_ids);  // l < count
      if (s.same) skip = _mm256_andnot_si256(_mm256_cmpeq_epi32(k, _mm256_set1_epi32(j)), skip);
      const __m256 use = _mm256_and_ps(_mm256_castsi256_ps(skip), _mm256_set1_ps(1.0f));
      // Points outside the block's own range are read from the snapshot, `snap` floats on.
      const __m256i rel = _mm256_sub_epi32(k, own_lo);
      const __m256i outside = _mm256_cmpeq_epi32(_mm256_max_epu32(rel, own_span), rel);
      const __m256i k2 = _mm256_add_epi32(_mm256_add_epi32(k, k), _mm256_and_si256(outside, snap));
      const __m256 nx = _mm256_sub_ps(cx, _mm256_i32gather_ps(s.t, k2, 4));
      const __m256 ny = _mm256_sub_ps(cy, _mm256_i32gather_ps(s.t + 1, k2, 4));
      const __m256 n2 = _mm256_add_ps(_mm256_mul_ps(nx, nx), _mm256_mul_ps(ny, ny));
      const __m256 den =
          _mm256_mul_ps(_mm256_add_ps(_mm256_set1_ps(0.001f), n2),
                        _mm256_add_ps(_mm256_mul_ps(a8, FastPow8(n2, b8)), _mm256_set1_ps(1.0f)));
      const __m256 g = _mm256_div_ps(rep8, den);
      const __m256 positive = _mm256_cmp_ps(n2, _mm256_setzero_ps(), _CMP_GT_OQ);
      const __m256 four = _mm256_set1_ps(4.0f);
      const __m256 px = _mm256_blendv_ps(four, ClipGradient8(_mm256_mul_ps(g, nx)), positive);
      const __m256 py = _mm256_blendv_ps(four, ClipGradient8(_mm256_mul_ps(g, ny)), positive);
      sx += TreeSum(_mm256_mul_ps(px, use));
      sy += TreeSum(_mm256_mul_ps(py, use));
    }
    cur[0] += sx * lr;
    cur[1] += sy * lr;
  }
  _mm256_storeu_si256(reinterpret_cast<__m256i*>(s.lanes), lanes);
}

bool HasAvx2() {
  static const bool has = __builtin_cpu_supports("avx2");
  return has;
}

}  // namespace

void RunEpoch(SgdEpochState& s, int epoch, float lr) {
  if (HasAvx2() && !force_scalar.load(std::memory_order_relaxed)) {
    RunEpochAvx2(s, epoch, lr);
  } else {
    RunEpochScalar(s, epoch, lr);
  }
}

void ForceScalarSgdForTesting(bool scalar) { force_scalar.store(scalar); }

}  // namespace photomap::map
