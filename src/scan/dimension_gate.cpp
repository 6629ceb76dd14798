#include "scan/dimension_gate.h"

#include "scan/image_header.h"
#include "scan/media_types.h"

namespace photomap::scan {

bool GateActive(const GateOptions& options) {
  return options.min_image_dimension > 1 || options.min_image_bytes > 0;
}

GateVerdict CheckDimensionGate(const ScanEntry& entry, const GateOptions& options) {
  if (entry.kind == MediaKind::kVideo) return GateVerdict::kPass;
  if (options.min_image_bytes > 0 &&
      entry.size_bytes < static_cast<uint64_t>(options.min_image_bytes)) {
    return GateVerdict::kTooFewBytes;
  }
  if (options.min_image_dimension <= 1) return GateVerdict::kPass;
  if (static_cast<int64_t>(entry.size_bytes) > options.header_skip_above_bytes) {
    return GateVerdict::kPass;
  }
  if (IsRawSuffix(LowerSuffix(entry.path))) return GateVerdict::kPass;
  Result<ImageHeader> header = ReadImageHeader(entry.path);
  if (!header.ok()) return GateVerdict::kUnreadable;
  if (header->width < options.min_image_dimension || header->height < options.min_image_dimension) {
    return GateVerdict::kTooFewPixels;
  }
  return GateVerdict::kPass;
}

const char* GateVerdictName(GateVerdict verdict) {
  switch (verdict) {
    case GateVerdict::kPass:
      return "pass";
    case GateVerdict::kTooFewBytes:
      return "too_few_bytes";
    case GateVerdict::kTooFewPixels:
      return "too_few_pixels";
    case GateVerdict::kUnreadable:
      return "unreadable";
  }
  return "unknown";
}

}  // namespace photomap::scan
