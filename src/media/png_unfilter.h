// PNG row unfiltering (PNG spec §9): reverses the None/Sub/Up/Average/Paeth byte predictors of one
// scanline of an 8-bit image with 1 to 4 bytes per pixel. Two implementations with equal results:
// a plain scalar reference and an SSE2 one (x86-64 baseline, so no CPU dispatch) for 3 and 4
// bytes per pixel, where Paeth dominates photo PNGs, with a two-row Paeth variant. Pure functions,
// thread-safe.
#pragma once

#include <cstddef>
#include <cstdint>

namespace photomap::media {

// The five filter types of PNG filter method 0, as stored in each row's first byte.
enum class PngFilter : uint8_t { kNone = 0, kSub = 1, kUp = 2, kAverage = 3, kPaeth = 4 };
inline constexpr int kPngFilterCount = 5;

// Which kernel runs: kBest picks SSE2 where it applies; kScalar forces the reference (tests).
enum class UnfilterKernel { kBest, kScalar };

// Unfilters one row: out[i] = filtered[i] + predictor(out[i - bpp], prev[i], prev[i - bpp]), with
// bytes left of the row reading as 0. `prev` is the previous unfiltered row, all zeros for the
// first row. Never reads or writes outside [0, row_bytes) of each buffer.
// Requires: 1 <= bpp <= 4; row_bytes % bpp == 0; `out` does not overlap `filtered` or `prev`.
void UnfilterPngRow(PngFilter filter, int bpp, const uint8_t* filtered, const uint8_t* prev,
                    uint8_t* out, size_t row_bytes, UnfilterKernel kernel = UnfilterKernel::kBest);

// Unfilters two consecutive rows that both use Paeth: the same bytes as two UnfilterPngRow calls
// (`out0` then serving as the second row's `prev`), but with 3 or 4 bytes per pixel the two rows'
// serial dependency chains run interleaved, close to twice as fast. Photo PNGs are mostly Paeth.
// Requires: as UnfilterPngRow, for both rows; out0 and out1 overlap nothing.
void UnfilterPngPaethRowPair(int bpp, const uint8_t* filtered0, const uint8_t* filtered1,
                             const uint8_t* prev, uint8_t* out0, uint8_t* out1, size_t row_bytes,
                             UnfilterKernel kernel = UnfilterKernel::kBest);

}  // namespace photomap::media
