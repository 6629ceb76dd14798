// DecodeJpegEighth: a JPEG at one eighth of its size, one pixel per 8x8 block, computed from the
// blocks' DC coefficients alone.
//
// At 1/8 scale libjpeg's inverse DCT reduces to the DC term, yet libjpeg still decodes every AC
// coefficient's value; on a 12 MP photo that entropy decoding is three quarters of the time.
// This decoder reads DC differences and skips AC codes without decoding their values, several
// per table look-up (jpeg_huffman.h), and does not read progressive AC scans at all. The
// model-input and thumbnail paths use it when 1/8 is the shrink-on-load they would ask libjpeg for.
//
// What it gives: what libvips' JPEG shrink-on-load gives, width = floor(stored width / 8) and
// height = floor(stored height / 8) (at least 1), stored orientation (EXIF is the caller's job).
// Greyscale, 4:4:4, 4:2:2 and 4:4:0 files equal libjpeg's 1/8 output bit for bit. For 4:2:0,
// libjpeg takes chroma from a 2x2 inverse DCT, which needs the chroma blocks' AC values: in
// sequential files they are decoded (a third of the blocks) and the result is within 2 levels
// of libjpeg's; progressive files keep their AC scans unread and interpolate the chroma DC grid
// instead (about one level of mean difference on colourful texture, up to ~40 at sharp colour
// edges; the 224 px model input drifts by less). Pure function of the bytes; thread-safe.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "util/status.h"

namespace photomap::media {

struct EighthScaleJpeg {
  int64_t width = 0;  // max(1, floor(stored width / 8))
  int64_t height = 0;
  int bands = 0;                // 1 (greyscale) or 3 (RGB)
  std::vector<uint8_t> pixels;  // width * height * bands, interleaved, rows top to bottom
};

// Decodes `file`, a whole JPEG file in memory, at 1/8 scale.
// Handles 8-bit Huffman-coded baseline, extended and progressive JPEGs with one (grey) or three
// (YCbCr) components whose sampling factors are 1 or 2 and divide the largest.
// Errors: Unsupported for every other kind (arithmetic coding, lossless, 12-bit, CMYK, RGB,
// other samplings, height given by DNL): the caller decodes those with libjpeg. TooLarge when
// the stored width x height exceeds max_pixels. Corrupt for anything damaged or truncated
// (including a missing EOI); libjpeg's own error for the file is then the one to show.
Result<EighthScaleJpeg> DecodeJpegEighth(std::span<const uint8_t> file, int64_t max_pixels);

}  // namespace photomap::media
