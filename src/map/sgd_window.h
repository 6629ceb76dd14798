// The parts of one SGD window that both epoch kernels share (sgd_epoch.cpp, sgd_epoch_avx2.cpp).
//
// An epoch runs its edges in windows of kSgdWindow consecutive edges, as a small mini-batch:
// (0) the due edges are listed and their schedules advanced; (1) every due edge's attractive move
// is computed from the positions at the window's start, then (1b) applied in edge order; (2)
// every negative sample's repulsive move is computed from the positions after those attractions;
// (3) each due edge adds the sum of its samples' moves (in sample order) to its head, in edge
// order. The kernels differ only in phases 1 and 2: one lane at a time, or 8 (the same bits).
// Batching a window fills every vector lane and removes the long serial chain of edge-by-edge
// updates; positions are at most one window staler than in umap-learn's edge-by-edge order (its
// parallel mode races instead), which leaves the layout's quality unchanged (bench/RESULTS.md).
// Internal header.
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <vector>

#include "map/fast_pow.h"
#include "map/sgd_epoch.h"

namespace photomap::map::sgd_internal {

inline constexpr size_t kSgdWindow = 32;

inline float ClipGradient(float v) { return std::min(4.0f, std::max(-4.0f, v)); }

struct WindowScratch {
  // Per due edge, in edge order; 8 spare entries take the vector kernel's full-width stores.
  static constexpr size_t kSlots = kSgdWindow + 8;
  int n_due = 0;
  uint32_t edges[kSlots];        // the due edges
  int32_t heads[kSlots];         // their head points
  int32_t tails[kSlots];         // their tail points
  int32_t tail_at[kSlots];       // float offset of each tail's position in `t` (snapshot or live)
  float ax[kSlots], ay[kSlots];  // their attractive moves
  int counts[kSlots];            // their negative-sample counts
  size_t n_neg = 0;              // samples listed; `owner` is padded to a multiple of 8
  std::vector<int32_t> owner;    // head point of each negative sample
  std::vector<float> hx, hy;     // its position after the window's attractions
  std::vector<float> gx, gy;     // each sample's repulsive move (times its use mask)
};

// The end of phase 0: sizes the per-sample buffers and lists each sample's owner (head point).
inline void FillOwners(WindowScratch& w) {
  // Room for the samples rounded up to 8, plus 8 for the fixed-width writes and reads below.
  const size_t room = (w.n_neg + 7) / 8 * 8 + 8;
  if (w.owner.size() < room) {
    w.owner.resize(room);
    w.hx.resize(room);
    w.hy.resize(room);
    w.gx.resize(room);
    w.gy.resize(room);
  }
  // Fixed-width writes that the next edge's overwrite where they overrun: a loop over each edge's
  // count would mispredict its exit on nearly every edge.
  size_t t = 0;
  for (int i = 0; i < w.n_due; ++i) {
    for (int c = 0; c < 8; ++c) w.owner[t + c] = w.heads[i];
    for (int c = 8; c < w.counts[i]; ++c) w.owner[t + c] = w.heads[i];
    t += static_cast<size_t>(w.counts[i]);
  }
  for (int c = 0; c < 8; ++c) w.owner[t + c] = w.n_due > 0 ? w.heads[0] : 0;  // valid, never used
}

// Phase 0 over edges [w0, w1): lists the due edges and advances their schedules.
inline void ListDueEdges(SgdEpochState& s, size_t w0, size_t w1, int epoch, WindowScratch& w) {
  // Whether an edge is due is close to a coin flip, so it is decided branch-free.
  size_t n_due = 0;
  const float now = static_cast<float>(epoch);
  for (size_t e = w0; e < w1; ++e) {
    w.edges[n_due] = static_cast<uint32_t>(e);
    n_due += s.next_sample[e] <= now ? 1 : 0;
  }
  w.n_due = static_cast<int>(n_due);
  w.n_neg = 0;
  for (size_t i = 0; i < n_due; ++i) {
    const size_t e = w.edges[i];
    const uint32_t t = static_cast<uint32_t>(s.tail[e]);
    w.heads[i] = s.head[e];
    w.tails[i] = static_cast<int32_t>(t);
    w.tail_at[i] = static_cast<int32_t>(2 * static_cast<size_t>(t) +
                                        (t - s.own_lo < s.own_hi - s.own_lo ? 0 : s.snap));
    s.next_sample[e] += s.epochs_per_sample[e];
    const int n_neg = static_cast<int>((now - s.next_neg[e]) / s.neg_period[e]);
    s.next_neg[e] += n_neg * s.neg_period[e];
    w.counts[i] = std::max(n_neg, 0);
    w.n_neg += static_cast<size_t>(w.counts[i]);
  }
  FillOwners(w);
}

// The attractive move of one edge from head (x, y) to tail (ox, oy), as umap-learn computes it.
inline void AttractiveMove(const SgdEpochState& s, float x, float y, float ox, float oy, float* mx,
                           float* my) {
  const float dx = x - ox, dy = y - oy;
  const float d2 = dx * dx + dy * dy;
  float gc = 0.0f;
  if (d2 > 0.0f) {
    const float pb = FastPow(d2, s.b);
    gc = -2.0f * s.a * s.b * pb / (d2 * (s.a * pb + 1.0f));
  }
  *mx = ClipGradient(gc * dx);
  *my = ClipGradient(gc * dy);
}

// Phase 1b: each due edge's attractive move (computed from the window's starting positions),
// applied in edge order to its head and, when the tail moves too, to its tail.
inline void Attract(SgdEpochState& s, float lr, WindowScratch& w) {
  for (int i = 0; i < w.n_due; ++i) {
    float* cur = s.h + 2 * static_cast<size_t>(w.heads[i]);
    cur[0] += w.ax[i] * lr;
    cur[1] += w.ay[i] * lr;
    if (s.move_other) {
      const uint32_t t = static_cast<uint32_t>(w.tails[i]);
      float* moved = t - s.own_lo < s.own_hi - s.own_lo ? s.t + 2 * static_cast<size_t>(t)
                                                        : s.delta + 2 * static_cast<size_t>(t);
      moved[0] -= w.ax[i] * lr;
      moved[1] -= w.ay[i] * lr;
    }
  }
  size_t t = 0;
  for (int i = 0; i < w.n_due; ++i) {
    const float* cur = s.h + 2 * static_cast<size_t>(w.heads[i]);
    const float x = cur[0], y = cur[1];
    for (int c = 0; c < 8; ++c) {
      w.hx[t + c] = x;
      w.hy[t + c] = y;
    }
    for (int c = 8; c < w.counts[i]; ++c) {
      w.hx[t + c] = x;
      w.hy[t + c] = y;
    }
    t += static_cast<size_t>(w.counts[i]);
  }
}

// Phase 3: each due edge's summed repulsion, applied to its head in edge order.
inline void RepelWindow(SgdEpochState& s, float lr, const WindowScratch& w) {
  size_t t = 0;
  for (int i = 0; i < w.n_due; ++i) {
    // The first 8 terms at fixed width (adding +0.0f to a sum that starts at +0.0f changes no
    // bit), so the loop does not mispredict on each edge's count.
    const int n = w.counts[i];
    float sx = 0.0f, sy = 0.0f;
    for (int c = 0; c < 8; ++c) {
      sx += c < n ? w.gx[t + c] : 0.0f;
      sy += c < n ? w.gy[t + c] : 0.0f;
    }
    for (int c = 8; c < n; ++c) {
      sx += w.gx[t + c];
      sy += w.gy[t + c];
    }
    float* cur = s.h + 2 * static_cast<size_t>(w.heads[i]);
    cur[0] += sx * lr;
    cur[1] += sy * lr;
    t += static_cast<size_t>(n);
  }
}

}  // namespace photomap::map::sgd_internal
