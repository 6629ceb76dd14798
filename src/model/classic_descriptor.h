// The classic:v1 image descriptor: a fixed, weight-free embedding of colour layout, edge
// orientation and texture, for albums indexed without a neural model (docs/models.md,
// "classic:v1" gives the exact recipe). Pure functions; thread-safe.
//
// Input is a 128 x 128 RGB image as floats in [0, 1], planar [3][128][128] (what Preprocess
// makes with ClassicPreprocessConfig(): the whole picture resized to a square, aspect not kept).
// Values are quantised to 8 bits on entry, so the descriptor depends only on the 8-bit pixels
// and is bit-identical across runs and threads.
#pragma once

#include <span>

#include "util/status.h"

namespace photomap::model {

inline constexpr int kClassicInputSize = 128;

// Blocks of the descriptor, in order, with their sizes.
inline constexpr int kClassicColourHistDim = 5 * 5 * 5;  // global soft CIELAB histogram
inline constexpr int kClassicLayoutDim = 4 * 4 * 4;      // 4x4 grid: mean L, a, b and sd of L
inline constexpr int kClassicHogFineDim = 4 * 4 * 9;     // 4x4 grid x 9 orientations, 128 px
inline constexpr int kClassicHogCoarseDim = 2 * 2 * 9;   // 2x2 grid x 9 orientations, 64 px
inline constexpr int kClassicEdgeDim = 4 * 4;            // 4x4 grid: mean gradient magnitude
inline constexpr int kClassicLbpDim = (1 + 4 + 1) * 10;  // LBP riu2: global+2x2 @128, global @64
inline constexpr int kClassicDim = kClassicColourHistDim + kClassicLayoutDim + kClassicHogFineDim +
                                   kClassicHogCoarseDim + kClassicEdgeDim + kClassicLbpDim;

// Writes the unit-length descriptor of `chw` (3 x kClassicInputSize^2 floats) into `out`
// (kClassicDim floats). An image without any structure (one flat colour) still gets a unit vector
// (its colour blocks). Errors: InvalidInput when either size is wrong (nothing is written).
Status ComputeClassicDescriptor(std::span<const float> chw, std::span<float> out);

}  // namespace photomap::model
