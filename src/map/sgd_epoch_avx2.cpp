// AVX2 twin of RunEpochScalar (sgd_epoch.cpp): the same operations in the same order, no FMA, so
// the same bits; a window's negative samples are drawn and evaluated 8 lanes at a time.
#include <immintrin.h>

#include <algorithm>
#include <atomic>

#include "map/fast_pow.h"
#include "map/sgd_epoch.h"
#include "map/sgd_window.h"

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

PHOTOMAP_AVX2 inline __m256 ClipGradient8(__m256 v) {
  return _mm256_min_ps(_mm256_set1_ps(4.0f), _mm256_max_ps(_mm256_set1_ps(-4.0f), v));
}

// For each 8-bit lane mask, the indices of its set lanes first (a compress permutation).
struct CompressTable {
  int32_t lanes[256][8];
  constexpr CompressTable() : lanes() {
    for (int m = 0; m < 256; ++m) {
      int n = 0;
      for (int l = 0; l < 8; ++l) {
        if (m & (1 << l)) lanes[m][n++] = l;
      }
      for (int l = 0; n < 8; ++l) {
        if (!(m & (1 << l))) lanes[m][n++] = l;
      }
    }
  }
};
constexpr CompressTable kCompress;

PHOTOMAP_AVX2 inline void StoreCompressed(int32_t* out, __m256i v, __m256i perm) {
  _mm256_storeu_si256(reinterpret_cast<__m256i*>(out), _mm256_permutevar8x32_epi32(v, perm));
}

// Phase 0, 8 edges at a time: sgd_window.h's ListDueEdges (the same values, bit for bit).
PHOTOMAP_AVX2 void ListDueEdges8(SgdEpochState& s, size_t w0, size_t w1, int epoch,
                                 sgd_internal::WindowScratch& w) {
  const __m256 now = _mm256_set1_ps(static_cast<float>(epoch));
  const __m256i lane_ids = _mm256_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7);
  const __m256i own_lo = _mm256_set1_epi32(static_cast<int>(s.own_lo));
  const __m256i own_span = _mm256_set1_epi32(static_cast<int>(s.own_hi - s.own_lo));
  const __m256i snap = _mm256_set1_epi32(static_cast<int>(s.snap));
  __m256i total = _mm256_setzero_si256();
  int n_due = 0;
  for (size_t e0 = w0; e0 < w1; e0 += 8) {
    const __m256i valid =
        _mm256_cmpgt_epi32(_mm256_set1_epi32(static_cast<int>(w1 - e0)), lane_ids);
    const __m256 ns = _mm256_maskload_ps(s.next_sample + e0, valid);
    const __m256 due =
        _mm256_and_ps(_mm256_castsi256_ps(valid), _mm256_cmp_ps(ns, now, _CMP_LE_OQ));
    const __m256i due_i = _mm256_castps_si256(due);
    const int mask = _mm256_movemask_ps(due);
    const __m256 eps = _mm256_maskload_ps(s.epochs_per_sample + e0, due_i);
    const __m256 nn = _mm256_maskload_ps(s.next_neg + e0, due_i);
    const __m256 per = _mm256_maskload_ps(s.neg_period + e0, due_i);
    _mm256_maskstore_ps(s.next_sample + e0, due_i, _mm256_add_ps(ns, eps));
    const __m256i n_neg = _mm256_cvttps_epi32(_mm256_div_ps(_mm256_sub_ps(now, nn), per));
    _mm256_maskstore_ps(s.next_neg + e0, due_i,
                        _mm256_add_ps(nn, _mm256_mul_ps(_mm256_cvtepi32_ps(n_neg), per)));
    const __m256i counts = _mm256_and_si256(due_i, _mm256_max_epi32(n_neg, _mm256_setzero_si256()));
    const __m256i heads = _mm256_maskload_epi32(s.head + e0, due_i);
    const __m256i tails = _mm256_maskload_epi32(s.tail + e0, due_i);
    const __m256i rel = _mm256_sub_epi32(tails, own_lo);
    const __m256i outside = _mm256_cmpeq_epi32(_mm256_max_epu32(rel, own_span), rel);
    const __m256i tail_at =
        _mm256_add_epi32(_mm256_add_epi32(tails, tails), _mm256_and_si256(outside, snap));
    const __m256i perm =
        _mm256_loadu_si256(reinterpret_cast<const __m256i*>(kCompress.lanes[mask]));
    StoreCompressed(w.heads + n_due, heads, perm);
    StoreCompressed(w.tails + n_due, tails, perm);
    StoreCompressed(w.tail_at + n_due, tail_at, perm);
    StoreCompressed(w.counts + n_due, counts, perm);
    n_due += __builtin_popcount(static_cast<unsigned>(mask));
    total = _mm256_add_epi32(total, counts);
  }
  alignas(32) int32_t sums[8];
  _mm256_store_si256(reinterpret_cast<__m256i*>(sums), total);
  w.n_due = n_due;
  w.n_neg = 0;
  for (int32_t v : sums) w.n_neg += static_cast<size_t>(v);
  sgd_internal::FillOwners(w);
}

// Phase 1, 8 edges at a time: the scalar reference's AttractiveMove, lane by lane.
PHOTOMAP_AVX2 void AttractiveMoves8(const SgdEpochState& s, sgd_internal::WindowScratch& w) {
  const __m256 a8 = _mm256_set1_ps(s.a), b8 = _mm256_set1_ps(s.b);
  const __m256 m2ab = _mm256_set1_ps(-2.0f * s.a * s.b);
  const __m256i lane_ids = _mm256_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7);
  for (int i0 = 0; i0 < w.n_due; i0 += 8) {
    const __m256i valid = _mm256_cmpgt_epi32(_mm256_set1_epi32(w.n_due - i0), lane_ids);
    const __m256i j =
        _mm256_and_si256(valid, _mm256_loadu_si256(reinterpret_cast<const __m256i*>(w.heads + i0)));
    const __m256i at = _mm256_and_si256(
        valid, _mm256_loadu_si256(reinterpret_cast<const __m256i*>(w.tail_at + i0)));
    const __m256i j2 = _mm256_add_epi32(j, j);
    const __m256 dx =
        _mm256_sub_ps(_mm256_i32gather_ps(s.h, j2, 4), _mm256_i32gather_ps(s.t, at, 4));
    const __m256 dy =
        _mm256_sub_ps(_mm256_i32gather_ps(s.h + 1, j2, 4), _mm256_i32gather_ps(s.t + 1, at, 4));
    const __m256 d2 = _mm256_add_ps(_mm256_mul_ps(dx, dx), _mm256_mul_ps(dy, dy));
    const __m256 pb = FastPow8(d2, b8);
    const __m256 gc = _mm256_and_ps(
        _mm256_cmp_ps(d2, _mm256_setzero_ps(), _CMP_GT_OQ),
        _mm256_div_ps(
            _mm256_mul_ps(m2ab, pb),
            _mm256_mul_ps(d2, _mm256_add_ps(_mm256_mul_ps(a8, pb), _mm256_set1_ps(1.0f)))));
    _mm256_storeu_ps(w.ax + i0, ClipGradient8(_mm256_mul_ps(gc, dx)));
    _mm256_storeu_ps(w.ay + i0, ClipGradient8(_mm256_mul_ps(gc, dy)));
  }
}

// Phase 2, 8 samples at a time: the same operations as the scalar reference, lane by lane.
PHOTOMAP_AVX2 void NegativeMoves8(SgdEpochState& s, sgd_internal::WindowScratch& w) {
  __m256i lanes = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(s.lanes));
  const __m256i n_tail = _mm256_set1_epi32(static_cast<int>(s.n_tail));
  const __m256 a8 = _mm256_set1_ps(s.a), b8 = _mm256_set1_ps(s.b), rep8 = _mm256_set1_ps(s.rep);
  const __m256i lane_ids = _mm256_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7);
  const __m256i own_lo = _mm256_set1_epi32(static_cast<int>(s.own_lo));
  const __m256i own_span = _mm256_set1_epi32(static_cast<int>(s.own_hi - s.own_lo));
  const __m256i snap = _mm256_set1_epi32(static_cast<int>(s.snap));
  const __m256i same = _mm256_set1_epi32(s.same ? -1 : 0);
  for (size_t t0 = 0; t0 < w.n_neg; t0 += 8) {
    lanes = _mm256_xor_si256(lanes, _mm256_slli_epi32(lanes, 13));
    lanes = _mm256_xor_si256(lanes, _mm256_srli_epi32(lanes, 17));
    lanes = _mm256_xor_si256(lanes, _mm256_slli_epi32(lanes, 5));
    // k = (lane * n_tail) >> 32 per 32-bit lane: even and odd lanes through 64-bit products.
    const __m256i even = _mm256_srli_epi64(_mm256_mul_epu32(lanes, n_tail), 32);
    const __m256i odd = _mm256_mul_epu32(_mm256_srli_epi64(lanes, 32), n_tail);
    const __m256i k = _mm256_blend_epi32(even, odd, 0b10101010);
    const __m256i j = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(w.owner.data() + t0));
    const __m256i valid =
        _mm256_cmpgt_epi32(_mm256_set1_epi32(static_cast<int>(w.n_neg - t0)), lane_ids);
    const __m256i self = _mm256_and_si256(same, _mm256_cmpeq_epi32(k, j));
    const __m256 use =
        _mm256_and_ps(_mm256_castsi256_ps(_mm256_andnot_si256(self, valid)), _mm256_set1_ps(1.0f));
    // A sample outside the block's own range is read from the snapshot, `snap` floats on.
    const __m256i rel = _mm256_sub_epi32(k, own_lo);
    const __m256i outside = _mm256_cmpeq_epi32(_mm256_max_epu32(rel, own_span), rel);
    const __m256i k2 = _mm256_add_epi32(_mm256_add_epi32(k, k), _mm256_and_si256(outside, snap));
    const __m256 nx =
        _mm256_sub_ps(_mm256_loadu_ps(w.hx.data() + t0), _mm256_i32gather_ps(s.t, k2, 4));
    const __m256 ny =
        _mm256_sub_ps(_mm256_loadu_ps(w.hy.data() + t0), _mm256_i32gather_ps(s.t + 1, k2, 4));
    const __m256 n2 = _mm256_add_ps(_mm256_mul_ps(nx, nx), _mm256_mul_ps(ny, ny));
    const __m256 den =
        _mm256_mul_ps(_mm256_add_ps(_mm256_set1_ps(0.001f), n2),
                      _mm256_add_ps(_mm256_mul_ps(a8, FastPow8(n2, b8)), _mm256_set1_ps(1.0f)));
    const __m256 g = _mm256_div_ps(rep8, den);
    const __m256 positive = _mm256_cmp_ps(n2, _mm256_setzero_ps(), _CMP_GT_OQ);
    const __m256 four = _mm256_set1_ps(4.0f);
    const __m256 px = _mm256_blendv_ps(four, ClipGradient8(_mm256_mul_ps(g, nx)), positive);
    const __m256 py = _mm256_blendv_ps(four, ClipGradient8(_mm256_mul_ps(g, ny)), positive);
    _mm256_storeu_ps(w.gx.data() + t0, _mm256_mul_ps(px, use));
    _mm256_storeu_ps(w.gy.data() + t0, _mm256_mul_ps(py, use));
  }
  _mm256_storeu_si256(reinterpret_cast<__m256i*>(s.lanes), lanes);
}

PHOTOMAP_AVX2 void RunEpochAvx2(SgdEpochState& s, int epoch, float lr) {
  thread_local sgd_internal::WindowScratch w;
  for (size_t w0 = 0; w0 < s.n_edges; w0 += sgd_internal::kSgdWindow) {
    const size_t w1 = std::min(s.n_edges, w0 + sgd_internal::kSgdWindow);
    ListDueEdges8(s, w0, w1, epoch, w);
    AttractiveMoves8(s, w);
    sgd_internal::Attract(s, lr, w);
    NegativeMoves8(s, w);
    sgd_internal::RepelWindow(s, lr, w);
  }
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
