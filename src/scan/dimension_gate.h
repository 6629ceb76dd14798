// The size and dimension gate (backend-spec §4.3): which candidate files are too small to index.
//
// The gate reuses the size from the walker's stat and reads only the image header (never decodes).
// Videos always pass. Pure functions, thread-safe.
#pragma once

#include <cstdint>

#include "scan/album_walker.h"

namespace photomap::scan {

struct GateOptions {
  // Files smaller than this are rejected without being opened. 0 disables. Album default: 8192.
  int64_t min_image_bytes = 0;
  // Both stored width and height must reach this. <= 1 disables. Album default: 256.
  int64_t min_image_dimension = 0;
  // Files larger than this pass the pixel test without being opened, as in PhotoMapAI (a photo
  // that big is never a tiny icon). Trade-off: speed over exactness.
  int64_t header_skip_above_bytes = 500 * 1024;
};

enum class GateVerdict {
  kPass,
  kTooFewBytes,   // size_bytes < min_image_bytes
  kTooFewPixels,  // width or height < min_image_dimension
  kUnreadable,    // the header could not be read or parsed
};

// True when either limit is active (PhotoMapAI: min_dimension > 1 or min_bytes > 0).
bool GateActive(const GateOptions& options);

// Applies the gate to one walked entry: videos pass; then the byte limit; then, for files no
// larger than header_skip_above_bytes, the header's stored size. Camera RAW files skip the pixel
// test (their containers hold previews of other sizes; decoding decides).
GateVerdict CheckDimensionGate(const ScanEntry& entry, const GateOptions& options);

const char* GateVerdictName(GateVerdict verdict);

}  // namespace photomap::scan
