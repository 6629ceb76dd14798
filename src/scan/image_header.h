// Image format sniffing and header-only dimension reading.
//
// Used by the dimension gate (scan) and by the decoder (media) to recognise a format from its
// first bytes, whatever the file is named, and to learn the stored pixel size without decoding:
// JPEG (SOF), PNG (IHDR), GIF, WebP (VP8/VP8L/VP8X), BMP, TIFF (IFD0) and HEIF/AVIF (the primary
// item's ispe). Reads at most a few hundred small chunks; never allocates in proportion to what
// a header claims. Pure functions, thread-safe.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>

#include "util/status.h"

namespace photomap::scan {

enum class ImageFormat {
  kUnknown,
  kJpeg,
  kPng,
  kGif,
  kWebp,
  kBmp,
  kTiff,  // also TIFF-based RAW (DNG, NEF, CR2, ARW); decide by suffix
  kHeif,  // HEIC / HEIF
  kAvif,
  kRawOther,  // non-TIFF RAW containers: CR3 (ISO-BMFF "crx "), RAF, ORF, RW2
};

// Bytes SniffImageFormat wants to see (fewer is fine: it then recognises less).
constexpr size_t kSniffBytes = 64;

// Returns the format recognised from the leading bytes, kUnknown when none matches.
ImageFormat SniffImageFormat(std::span<const uint8_t> head);

// A short lower-case name ("jpeg", "png", ..., "unknown") for messages.
const char* ImageFormatName(ImageFormat format);

struct ImageHeader {
  ImageFormat format = ImageFormat::kUnknown;
  int64_t width = 0;   // stored width in pixels (before any EXIF orientation)
  int64_t height = 0;  // stored height in pixels
};

// Reads the header of the file at `path`.
// Errors: NotFound/Io when the file cannot be opened or read; Unsupported when the format is not
// recognised (or is a RAW container); Corrupt when the header is truncated or malformed.
Result<ImageHeader> ReadImageHeader(const std::string& path);

// The same for an in-memory image. The span only needs to live for the call.
Result<ImageHeader> ParseImageHeader(std::span<const uint8_t> bytes);

}  // namespace photomap::scan
