// ThumbnailParams: the validated query of a /thumbnails request (backend-spec §1.4.2).
//
// Validation gives the spec's 400 messages. Both hex forms ("#ff8800" and "ff8800") and "r,g,b"
// are honoured as colours (PhotoMapAI drew a black border for hex without '#'; fixed). Plain
// value type.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "media/pixel_convert.h"
#include "util/status.h"

namespace photomap::media {

inline constexpr int kDefaultThumbnailSize = 256;
inline constexpr int kDefaultThumbnailRadius = 12;
inline constexpr int kMaxThumbnailSize = 2048;
inline constexpr int kMaxThumbnailRadius = 512;

struct ThumbnailParams {
  int size = kDefaultThumbnailSize;      // the long side fits in size x size; never enlarged
  int radius = kDefaultThumbnailRadius;  // rounded-corner radius in pixels, 0 = square
  std::optional<Rgb8> color;             // border colour; no border when absent
};

// Validates raw query values (absent = default). Errors, all InvalidInput with the spec's text:
//   size outside 1..2048      -> "Invalid thumbnail size"
//   radius outside 0..512     -> "Invalid thumbnail radius"
//   colour not #?[0-9A-Fa-f]{6} nor d{1,3},d{1,3},d{1,3} with components <= 255
//                             -> "Invalid color parameter"
// An empty colour string means "no colour" (as PhotoMapAI's `if color:`).
Result<ThumbnailParams> ParseThumbnailParams(std::optional<long long> size,
                                             std::optional<long long> radius,
                                             std::optional<std::string_view> color);

// The colour as six lower-case hex digits ("ff8800"), the form used in cache file names.
std::string ColorHex(const Rgb8& color);

// Border width for a thumbnail of this size: max(5, size / 32).
int ThumbnailBorderWidth(int size);

}  // namespace photomap::media
