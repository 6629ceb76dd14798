#include "map/sgd_epoch.h"

#include <algorithm>

#include "map/fast_pow.h"

namespace photomap::map {

namespace {

inline float ClipGradient(float v) { return std::min(4.0f, std::max(-4.0f, v)); }

inline uint32_t XorShift(uint32_t x) {
  x ^= x << 13;
  x ^= x >> 17;
  x ^= x << 5;
  return x;
}

}  // namespace

void RunEpochScalar(SgdEpochState& s, int epoch, float lr) {
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
    const float gx = ClipGradient(gc * dx), gy = ClipGradient(gc * dy);
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
    const float cx = cur[0], cy = cur[1];
    float sx = 0.0f, sy = 0.0f;
    for (int p = 0; p < n_neg; p += 8) {
      const int count = std::min(8, n_neg - p);
      float cxs[8], cys[8];
      for (int l = 0; l < 8; ++l) {
        s.lanes[l] = XorShift(s.lanes[l]);
        const uint32_t k =
            static_cast<uint32_t>((static_cast<uint64_t>(s.lanes[l]) * s.n_tail) >> 32);
        const float use = l < count && !(s.same && k == static_cast<uint32_t>(j)) ? 1.0f : 0.0f;
        const float* pk =
            s.t + 2 * static_cast<size_t>(k) + (k - s.own_lo < s.own_hi - s.own_lo ? 0 : s.snap);
        const float nx = cx - pk[0];
        const float ny = cy - pk[1];
        const float n2 = nx * nx + ny * ny;
        const float g = s.rep / ((0.001f + n2) * (s.a * FastPow(n2, s.b) + 1.0f));
        cxs[l] = (n2 > 0.0f ? ClipGradient(g * nx) : 4.0f) * use;
        cys[l] = (n2 > 0.0f ? ClipGradient(g * ny) : 4.0f) * use;
      }
      // Summed as a fixed tree, the order the AVX2 path's horizontal add uses.
      sx += ((cxs[0] + cxs[1]) + (cxs[2] + cxs[3])) + ((cxs[4] + cxs[5]) + (cxs[6] + cxs[7]));
      sy += ((cys[0] + cys[1]) + (cys[2] + cys[3])) + ((cys[4] + cys[5]) + (cys[6] + cys[7]));
    }
    cur[0] += sx * lr;
    cur[1] += sy * lr;
  }
}

}  // namespace photomap::map
