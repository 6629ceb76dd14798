// The repulsive (negative-sample) step of the UMAP SGD for one batch of up to 8 sampled points:
// the summed clipped gradient  Σ clip(2γb / ((0.001 + d²)(a·d^(2b) + 1)) · (p - o)).
//
// Two implementations with bit-identical results: a scalar reference and an AVX2 fast path
// (repulsion_avx2.cpp) picked at run time; RepulsionForceScalarForTesting pins the reference.
// Pure functions; thread-safe.
#pragma once

#include <algorithm>
#include <cstdint>

#include "map/fast_pow.h"

namespace photomap::map {

struct RepulsionBatch {
  float ox[8], oy[8];  // the sampled points
  float use[8];        // 1: a real sample; 0: skipped (unused lane, or the point itself)
  int count = 0;       // lanes filled, <= 8
};

struct RepulsionCurve {
  float a, b, rep;  // rep = 2·gamma·b
};

inline float ClipGradient(float v) { return std::min(4.0f, std::max(-4.0f, v)); }

// One lane: the clipped gradient on (cx, cy) from (ox, oy); 4 where the points coincide.
inline void RepulsionLane(float cx, float cy, float ox, float oy, const RepulsionCurve& c,
                          float* gx, float* gy) {
  const float nx = cx - ox, ny = cy - oy;
  const float n2 = nx * nx + ny * ny;
  if (n2 > 0.0f) {
    const float g = c.rep / ((0.001f + n2) * (c.a * FastPow(n2, c.b) + 1.0f));
    *gx = ClipGradient(g * nx);
    *gy = ClipGradient(g * ny);
  } else {
    *gx = *gy = 4.0f;
  }
}

// Adds the batch's summed gradient (lanes in order) to *sx, *sy. Reference implementation.
inline void RepulsionForceScalar(float cx, float cy, const RepulsionBatch& batch,
                                 const RepulsionCurve& c, float* sx, float* sy) {
  for (int p = 0; p < batch.count; ++p) {
    float gx, gy;
    RepulsionLane(cx, cy, batch.ox[p], batch.oy[p], c, &gx, &gy);
    *sx += gx * batch.use[p];
    *sy += gy * batch.use[p];
  }
}

// The same with AVX2 when the CPU has it (else the scalar reference); identical bits.
void RepulsionForce(float cx, float cy, const RepulsionBatch& batch, const RepulsionCurve& c,
                    float* sx, float* sy);

// Forces RepulsionForce onto the scalar reference (true) or lets it dispatch (false).
void ForceScalarRepulsionForTesting(bool scalar);

}  // namespace photomap::map
