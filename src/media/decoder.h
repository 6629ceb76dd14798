// Decoder: image files and uploads to upright 8-bit sRGB RGB pixels (util/image.h RgbImage).
//
// Supports JPEG, PNG, WebP, GIF (first frame), TIFF, BMP, HEIC/HEIF, AVIF and camera RAW. Formats
// are recognised by content; EXIF orientation is applied (all 8 cases); CMYK, grey, 16-bit and
// alpha images come out as RGB8, alpha composited over DecodeOptions::background. Decompression
// bombs are refused from the header (DecodeLimits). Every failure is an Error naming the file;
// nothing input can cause crashes or hangs. Thread-safe: decode different files in parallel
// (that scales; splitting one image across threads does not).
#pragma once

#include <cstdint>
#include <span>
#include <string>

#include "media/media_limits.h"
#include "media/pixel_convert.h"
#include "util/image.h"
#include "util/status.h"

namespace photomap::media {

struct DecodeOptions {
  DecodeLimits limits;
  // Transparent pixels are composited over this colour. White, like a browser page; note that
  // Pillow's convert("RGB") instead drops alpha and shows whatever colour lies underneath.
  Rgb8 background = {255, 255, 255};
};

// Decodes the whole image at full resolution.
// Errors: NotFound/Io (cannot open), InvalidInput (not an image), Unsupported (a format photomap
// does not decode, e.g. RLE BMP), TooLarge (over the pixel limit), Corrupt (damaged or truncated).
Result<RgbImage> DecodeImage(const std::string& path, const DecodeOptions& options = {});

// The model-input path: decodes at the largest shrink-on-load factor (JPEG 1/2, 1/4, 1/8; HEIF
// embedded thumbnail; RAW preview) that keeps the displayed short side >= min_short_side, then
// orients and converts. Does NOT resize to the model size (model/ preprocess does, PIL-exact).
// An image already smaller than min_short_side is returned at full size.
// Accuracy: after the final resize to 224 px, a 224 request differs from a full decode by a mean
// of 0.6/255 on a 12 MP photo but 2.8/255 on dense texture; asking for twice the model size
// (448, like Pillow's reducing_gap=2) keeps it <= 0.6/255 at some speed cost
// (tests/media/decoder_test.cpp, ShrinkOnLoadStaysCloseToAFullDecode).
// Errors as DecodeImage.
Result<RgbImage> DecodeForModel(const std::string& path, int min_short_side,
                                const DecodeOptions& options = {});

// Decodes an uploaded image (search by image) from memory; min_short_side as DecodeForModel
// (0: full size). Anything that is not a decodable still image, including videos, fails with
// InvalidInput "The query image could not be read. Search by image needs a still image."; bytes
// over limits.max_buffer_bytes or pixels over limits.max_pixels give TooLarge.
Result<RgbImage> DecodeFromMemory(std::span<const uint8_t> bytes, int min_short_side = 0,
                                  const DecodeOptions& options = {});

// The message DecodeFromMemory uses for undecodable uploads (backend-spec §1.4.2, a 400).
inline constexpr const char* kQueryImageUnreadable =
    "The query image could not be read. Search by image needs a still image.";

}  // namespace photomap::media
