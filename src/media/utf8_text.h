// Small text-encoding helpers for metadata read from files: every string that reaches the
// metadata JSON must be valid UTF-8 (nlohmann::json refuses to serialise anything else), whatever
// bytes the file held. Pure functions; thread-safe.
#pragma once

#include <string>
#include <string_view>

namespace photomap::media {

// Returns true when `text` is well-formed UTF-8 (no overlongs, surrogates or values > U+10FFFF).
bool IsValidUtf8(std::string_view text);

// Returns `text` decoded as ISO-8859-1 (each byte is one code point) and encoded as UTF-8. PNG
// tEXt/zTXt chunks are Latin-1 by specification.
std::string Latin1ToUtf8(std::string_view text);

// Returns `text` unchanged when it is valid UTF-8, else with each invalid byte replaced by U+FFFD
// (Python's errors="replace").
std::string SanitizeUtf8(std::string_view text);

// Returns `text` when valid UTF-8, else its Latin-1 reading. For EXIF ASCII fields, which cameras
// fill with either.
std::string Utf8OrLatin1(std::string_view text);

// Decodes little-endian UTF-16 (EXIF XP* tags); unpaired surrogates become U+FFFD. Stops at the
// first NUL code unit.
std::string Utf16LeToUtf8(std::string_view bytes);

}  // namespace photomap::media
