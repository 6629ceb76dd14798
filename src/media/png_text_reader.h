// PNG text chunks (tEXt, zTXt, iTXt) found anywhere in a PNG, including after IDAT, by a
// bounds-checked chunk walker. Exists because neither exiv2 (custom keys such as
// invokeai_metadata are not exposed) nor vips (misses text after IDAT) reads them reliably.
// Only chunk headers and text chunks are read; image data is skipped with seeks. Every size is
// capped, CRCs are checked, and damage ends the walk with what was found plus a warning.
// Stateless and thread-safe.
#pragma once

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "util/status.h"

namespace photomap::media {

enum class PngTextKind { kText, kZText, kIText };

struct PngTextChunk {
  PngTextKind kind = PngTextKind::kText;
  std::string keyword;             // Latin-1 keyword converted to UTF-8
  std::string text;                // UTF-8: tEXt/zTXt converted from Latin-1, iTXt as stored
  std::string language;            // iTXt only
  std::string translated_keyword;  // iTXt only
  uint64_t file_offset = 0;        // offset of the chunk's length field in the file
  bool after_image_data = false;   // true when the chunk follows an IDAT
};

struct PngTextLimits {
  // Largest text chunk read (compressed size); bigger ones are skipped with a warning. InvokeAI
  // workflows run to a few hundred KiB.
  uint32_t max_chunk_bytes = 8u << 20;
  // Largest inflated zTXt/iTXt payload; a zip bomb stops here instead of growing memory.
  size_t max_inflated_bytes = 8u << 20;
  // Total text kept per file, across chunks (Pillow's MAX_TEXT_MEMORY is 64 MiB).
  size_t max_total_text_bytes = 64u << 20;
  // Most chunks visited before giving up; a real PNG has tens, a pathological one millions.
  size_t max_chunks = 100000;
};

struct PngTextResult {
  std::vector<PngTextChunk> chunks;   // in file order
  std::vector<std::string> warnings;  // CRC mismatches, truncation, over-limit chunks
  bool complete = false;              // true when the walk reached IEND
};

// Returns true when `head` starts with the 8-byte PNG signature.
bool HasPngSignature(std::string_view head);

// Walks the PNG at `path` and returns its text chunks.
// Returns the chunks found (possibly none) with warnings for damage; NotFound when the file does
// not exist; Io when it cannot be read; Unsupported when it does not start with the PNG signature.
Result<PngTextResult> ReadPngText(const std::filesystem::path& path,
                                  const PngTextLimits& limits = {});

// As ReadPngText for a PNG already in memory; `data` is only read during the call.
Result<PngTextResult> ReadPngTextFromMemory(std::string_view data,
                                            const PngTextLimits& limits = {});

}  // namespace photomap::media
