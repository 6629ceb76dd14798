// One epoch of UMAP's layout SGD over every due edge: the attractive move of each sampled edge and
// its negative samples' repulsion (umap-learn's _optimize_layout_euclidean_single_epoch, run as
// windows of 32 edges: sgd_window.h states the order of operations).
//
// Two implementations with bit-identical results: RunEpochScalar, the reference, and an AVX2 path
// (sgd_epoch_avx2.cpp) that evaluates a window's attractions and negative samples 8 lanes at a
// time; RunEpoch picks the AVX2 path when the CPU has it. Negative samples come from 8 xorshift32
// lanes in the state, so both paths draw the same points. Not thread-safe on one state.
//
// One state is one block of a fit's edges (umap_layout.cpp runs blocks on parallel threads): the
// points [own_lo, own_hi) are the block's own, read and written in place; every other point is
// read from the epoch-start snapshot `snap` floats further on, and the block's moves of them go to
// `delta`, which the caller adds when the epoch ends. So no block touches what another writes
// during an epoch, and the result does not depend on how blocks are scheduled. The defaults (own
// range = everything) give the plain single-block epoch.
#pragma once

#include <cstddef>
#include <cstdint>

namespace photomap::map {

struct SgdEpochState {
  // Edges and their schedule (n_edges each). float, not double: every epoch streams these arrays
  // (1.2M edges at 50k points), and float halves their bytes.
  const int32_t* head = nullptr;
  const int32_t* tail = nullptr;
  const float* epochs_per_sample = nullptr;
  const float* neg_period = nullptr;  // epochs_per_sample / negative_sample_rate
  float* next_sample = nullptr;
  float* next_neg = nullptr;
  size_t n_edges = 0;
  // Positions (x, y interleaved): `h` is moved; `t` is what edges point to and negatives are drawn
  // from (the same buffer for a fit).
  float* h = nullptr;
  float* t = nullptr;
  uint32_t n_tail = 0;
  bool same = true;
  bool move_other = true;
  // Block ownership: points outside [own_lo, own_hi) read at +snap, moves of them go to delta.
  uint32_t own_lo = 0, own_hi = UINT32_MAX;
  size_t snap = 0;
  float* delta = nullptr;       // 2 per tail point; needed when move_other and own range < n_tail
  float a = 1, b = 1, rep = 2;  // curve; rep = 2·gamma·b
  uint32_t lanes[8] = {1, 2, 3, 4, 5, 6, 7, 8};  // xorshift32 states, never 0
};

// Runs epoch `epoch` (0-based) with learning rate `lr`. Reference implementation.
void RunEpochScalar(SgdEpochState& s, int epoch, float lr);

// The same with AVX2 when available (identical bits); see ForceScalarSgdForTesting.
void RunEpoch(SgdEpochState& s, int epoch, float lr);

// Pins RunEpoch to the scalar reference (true) or lets it dispatch (false).
void ForceScalarSgdForTesting(bool scalar);

}  // namespace photomap::map
