#include "map/sgd_epoch.h"

#include "map/sgd_window.h"

namespace photomap::map {

namespace {

using sgd_internal::ClipGradient;

inline uint32_t XorShift(uint32_t x) {
  x ^= x << 13;
  x ^= x >> 17;
  x ^= x << 5;
  return x;
}

// Phase 2, one lane at a time: the 8 xorshift lanes advance together per group of 8 samples.
void NegativeMoves(SgdEpochState& s, sgd_internal::WindowScratch& w) {
  for (size_t t0 = 0; t0 < w.n_neg; t0 += 8) {
    for (size_t l = 0; l < 8; ++l) {
      s.lanes[l] = XorShift(s.lanes[l]);
      const size_t t = t0 + l;
      if (t >= w.n_neg) continue;
      const uint32_t k =
          static_cast<uint32_t>((static_cast<uint64_t>(s.lanes[l]) * s.n_tail) >> 32);
      const int32_t j = w.owner[t];
      const float use = !(s.same && k == static_cast<uint32_t>(j)) ? 1.0f : 0.0f;
      const float* pk =
          s.t + 2 * static_cast<size_t>(k) + (k - s.own_lo < s.own_hi - s.own_lo ? 0 : s.snap);
      const float nx = w.hx[t] - pk[0];
      const float ny = w.hy[t] - pk[1];
      const float n2 = nx * nx + ny * ny;
      const float g = s.rep / ((0.001f + n2) * (s.a * FastPow(n2, s.b) + 1.0f));
      w.gx[t] = (n2 > 0.0f ? ClipGradient(g * nx) : 4.0f) * use;
      w.gy[t] = (n2 > 0.0f ? ClipGradient(g * ny) : 4.0f) * use;
    }
  }
}

// Phase 1, one edge at a time.
void AttractiveMoves(const SgdEpochState& s, sgd_internal::WindowScratch& w) {
  for (int i = 0; i < w.n_due; ++i) {
    const float* cur = s.h + 2 * static_cast<size_t>(w.heads[i]);
    const float* oth = s.t + w.tail_at[i];
    sgd_internal::AttractiveMove(s, cur[0], cur[1], oth[0], oth[1], &w.ax[i], &w.ay[i]);
  }
}

}  // namespace

void RunEpochScalar(SgdEpochState& s, int epoch, float lr) {
  thread_local sgd_internal::WindowScratch w;
  for (size_t w0 = 0; w0 < s.n_edges; w0 += sgd_internal::kSgdWindow) {
    const size_t w1 = std::min(s.n_edges, w0 + sgd_internal::kSgdWindow);
    sgd_internal::ListDueEdges(s, w0, w1, epoch, w);
    AttractiveMoves(s, w);
    sgd_internal::Attract(s, lr, w);
    NegativeMoves(s, w);
    sgd_internal::RepelWindow(s, lr, w);
  }
}

}  // namespace photomap::map
