// ThumbnailRenderer: PNG thumbnails as PhotoMapAI draws them (backend-spec §1.4.2), faster.
//
// Steps: decode with shrink-on-load, orient, keep alpha; fit into size x size with Pillow's
// size rule (never enlarge) using an alpha-premultiplied cubic resize; optional border of width
// max(5, size/32) in the colour (the image grows by twice that); rounded corners multiply the
// alpha channel (anti-aliased; PhotoMapAI replaced the alpha, which made transparent pixels
// opaque: fixed); encode PNG (RGBA). Stateless and thread-safe.
#pragma once

#include <string>

#include "media/media_limits.h"
#include "media/thumbnail_params.h"
#include "util/image.h"
#include "util/status.h"

namespace photomap::media {

// Renders the thumbnail of the image file at `path`; returns the PNG bytes.
// Errors: those of the decoder (NotFound, InvalidInput, Unsupported, TooLarge, Corrupt).
Result<std::string> RenderThumbnailPng(const std::string& path, const ThumbnailParams& params,
                                       const DecodeLimits& limits = {});

// Renders the thumbnail of an already decoded, upright picture (a video still).
// Errors: InvalidInput for an empty image or a pixel buffer of the wrong size.
Result<std::string> RenderThumbnailPngFromImage(const RgbImage& still,
                                                const ThumbnailParams& params);

// The placeholder shown when a video has no still: a size x size dark tile with a grey ring and
// play triangle (PhotoMapAI's _video_placeholder_png). `size` is clamped to 1..2048.
std::string RenderVideoPlaceholderPng(int size);

}  // namespace photomap::media
