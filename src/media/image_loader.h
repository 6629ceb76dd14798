// ImageLoader: turns a file or a buffer into an upright libvips image, as cheaply as the caller's
// target size allows. This is the glue between "what to decode" (decoder, thumbnail renderer)
// and the libvips / LibRaw calls.
//
// The format is sniffed from the bytes, never taken from the name (a PNG named .jpg loads as
// PNG); camera RAW suffixes go to LibRaw. The stored size is checked against DecodeLimits before
// any pixel is decoded. JPEG uses DCT shrink-on-load (1/2, 1/4, 1/8) and HEIF its embedded
// thumbnail when they still meet the target. A 1/8 JPEG decode and 8-bit PNGs go through
// photomap's own decoders (fast_loaders.h) when they accept the file. EXIF
// orientation is applied once (HEIF is already oriented by libheif). Pixels are decoded lazily,
// when the caller materialises the image, so decode errors (truncation) surface then. Thread-safe;
// each call owns its objects.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <utility>

#include "media/media_limits.h"
#include "media/vips_handle.h"
#include "scan/image_header.h"
#include "util/status.h"

namespace photomap::media {

struct LoadTarget {
  // The loaded (possibly shrunk) image keeps its shorter side >= this. 0: no constraint.
  int64_t min_short_side = 0;
  // The loaded image must still cover PilThumbnailSize(full size, fit_box). 0: no constraint.
  int64_t fit_box = 0;
};

struct LoadedImage {
  VipsImagePtr image;      // upright; any band count, format and interpretation
  int64_t full_width = 0;  // displayed size at full resolution (after orientation)
  int64_t full_height = 0;
  scan::ImageFormat format = scan::ImageFormat::kUnknown;
};

// Loads the image file at `path`.
// Errors: NotFound/Io (cannot open), InvalidInput (not an image: empty, text, video),
// TooLarge (over limits.max_pixels), Corrupt (header unreadable), Unsupported (RAW LibRaw
// does not know). Every message starts with the path.
Result<LoadedImage> LoadImageFile(const std::string& path, const LoadTarget& target,
                                  const DecodeLimits& limits);

// Loads an image from memory. `bytes` must outlive the returned image (pixels are read lazily).
// Errors as LoadImageFile, plus TooLarge when bytes exceed limits.max_buffer_bytes.
Result<LoadedImage> LoadImageBuffer(std::span<const uint8_t> bytes, const LoadTarget& target,
                                    const DecodeLimits& limits);

// Pillow's Image.thumbnail((box, box)) size rule: keeps the aspect ratio, fits in box x box,
// never enlarges; each side at least 1. Returns {width, height}.
std::pair<int64_t, int64_t> PilThumbnailSize(int64_t width, int64_t height, int64_t box);

}  // namespace photomap::media
