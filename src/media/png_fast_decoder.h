// PngFastDecoder: the common photo PNG (8-bit grey, grey+alpha, RGB or RGBA, not interlaced, no
// tRNS) decoded straight from memory and box-shrunk by an integer factor as it goes. libdeflate
// inflates all image data in one call; each row is then unfiltered and summed into the shrink, so
// the full-size image is never materialised. The pixels equal libvips' vips_pngload followed by
// vips_shrink byte for byte. Anything else is Unsupported, so callers fall back to libvips; a
// damaged file is Corrupt only where libvips (fail_on=truncated) fails too. Pure and thread-safe.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "util/status.h"

namespace photomap::media {

// The stored layout of a PNG that DecodePngFast handles.
struct PngFastInfo {
  int64_t width = 0;
  int64_t height = 0;
  int bands = 0;  // 1 grey, 2 grey+alpha, 3 RGB, 4 RGBA
};

// Decoded, shrunk pixels: 8-bit samples, interleaved, rows top to bottom, no padding.
struct PngPixels {
  int64_t width = 0;   // after the shrink
  int64_t height = 0;  // after the shrink
  int bands = 0;       // as in PngFastInfo; alpha is kept, not premultiplied
  int64_t stored_width = 0;
  int64_t stored_height = 0;
  std::vector<uint8_t> pixels;  // width * height * bands
};

// Reads the signature, IHDR and the chunks before the image data, without inflating anything.
// Returns the stored size and bands when DecodePngFast can decode the file.
// Errors: those of DecodePngFast that show before the image data (Corrupt header or chunk
// structure, TooLarge, Unsupported layout or chunks).
Result<PngFastInfo> ReadPngFastInfo(std::span<const uint8_t> file, int64_t max_pixels);

// Decodes a whole PNG file held in memory, box-shrunk by the integer factor `shrink` (1 = stored
// size). The shrink is vips_shrink's: the size becomes round(w / shrink) x round(h / shrink)
// (halves up); each column of `shrink` rows is averaged first, (sum + shrink / 2) / shrink, then
// each run of `shrink` of those averages along the row, rounded the same way; rows and columns past
// the edge repeat the last one.
// Errors:
//   InvalidInput: shrink outside 1..65535, or so large that no pixel would remain.
//   TooLarge: stored width x height over max_pixels; checked on IHDR, before any allocation.
//   Unsupported: palette, bit depth other than 8, interlaced, a tRNS chunk, APNG (acTL, fcTL,
//     fdAT), or a zlib stream that holds more data than the image needs (libpng ignores the
//     excess): libvips decodes these.
//   Corrupt: no PNG signature, bad IHDR, a truncated file, a CRC mismatch in IHDR, PLTE or the
//     IDAT chunks, an unknown critical chunk, a damaged zlib stream or too little image data, a
//     row filter type above 4.
// Like libpng, it ignores CRCs of ancillary chunks, the zlib Adler-32 value (but not its absence),
// data after the zlib stream, and everything after the image data, IEND included.
// The returned pixels are owned by the caller. Peak memory is the inflated data, height x
// (1 + width x bands) bytes, plus the result; IDAT data too short to inflate to that size (past
// deflate's 1032:1 limit) is refused before allocating it.
Result<PngPixels> DecodePngFast(std::span<const uint8_t> file, int shrink, int64_t max_pixels);

}  // namespace photomap::media
