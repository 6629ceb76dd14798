#include <immintrin.h>

#include <atomic>

#include "map/repulsion.h"

namespace photomap::map {

namespace {

std::atomic<bool> force_scalar{false};

// Lane-wise twin of FastPow: the same operations in the same order (no FMA), so the same bits.
__attribute__((target("avx2"))) __m256 FastPow8(__m256 x, __m256 p) {
  const __m256 xm = _mm256_max_ps(x, _mm256_set1_ps(1.17549435e-38f));
  const __m256i bits = _mm256_castps_si256(xm);
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
  const __m256 log2x = _mm256_add_ps(e, l);

  __m256 y = _mm256_mul_ps(p, log2x);
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
  const __m256 r = _mm256_mul_ps(q, _mm256_castsi256_ps(scale));
  return _mm256_andnot_ps(underflow, r);
}

__attribute__((target("avx2"))) void RepulsionForceAvx2(float cx, float cy,
                                                        const RepulsionBatch& batch,
                                                        const RepulsionCurve& c, float* sx,
                                                        float* sy) {
  const __m256 nx = _mm256_sub_ps(_mm256_set1_ps(cx), _mm256_loadu_ps(batch.ox));
  const __m256 ny = _mm256_sub_ps(_mm256_set1_ps(cy), _mm256_loadu_ps(batch.oy));
  const __m256 n2 = _mm256_add_ps(_mm256_mul_ps(nx, nx), _mm256_mul_ps(ny, ny));
  const __m256 pw = FastPow8(n2, _mm256_set1_ps(c.b));
  const __m256 den =
      _mm256_mul_ps(_mm256_add_ps(_mm256_set1_ps(0.001f), n2),
                    _mm256_add_ps(_mm256_mul_ps(_mm256_set1_ps(c.a), pw), _mm256_set1_ps(1.0f)));
  const __m256 g = _mm256_div_ps(_mm256_set1_ps(c.rep), den);
  const __m256 lo = _mm256_set1_ps(-4.0f), hi = _mm256_set1_ps(4.0f);
  const __m256 positive = _mm256_cmp_ps(n2, _mm256_setzero_ps(), _CMP_GT_OQ);
  // ClipGradient(v) = min(4, max(-4, v)), operand order as std::min/std::max compile to.
  __m256 gx = _mm256_min_ps(hi, _mm256_max_ps(lo, _mm256_mul_ps(g, nx)));
  __m256 gy = _mm256_min_ps(hi, _mm256_max_ps(lo, _mm256_mul_ps(g, ny)));
  gx = _mm256_blendv_ps(hi, gx, positive);
  gy = _mm256_blendv_ps(hi, gy, positive);
  const __m256 use = _mm256_loadu_ps(batch.use);
  alignas(32) float ax[8], ay[8];
  _mm256_store_ps(ax, _mm256_mul_ps(gx, use));
  _mm256_store_ps(ay, _mm256_mul_ps(gy, use));
  for (int p = 0; p < batch.count; ++p) {  // summed in lane order, as the scalar reference
    *sx += ax[p];
    *sy += ay[p];
  }
}

bool HasAvx2() {
  static const bool has = __builtin_cpu_supports("avx2");
  return has;
}

}  // namespace

void RepulsionForce(float cx, float cy, const RepulsionBatch& batch, const RepulsionCurve& c,
                    float* sx, float* sy) {
  if (HasAvx2() && !force_scalar.load(std::memory_order_relaxed)) {
    RepulsionForceAvx2(cx, cy, batch, c, sx, sy);
  } else {
    RepulsionForceScalar(cx, cy, batch, c, sx, sy);
  }
}

void ForceScalarRepulsionForTesting(bool scalar) { force_scalar.store(scalar); }

}  // namespace photomap::map
