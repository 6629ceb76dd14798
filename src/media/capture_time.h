// The time an image sorts by (backend-spec §4.5): its EXIF capture date, else the file's mtime.
//
// Two modes. kPhotoMapAI reproduces PhotoMapAI exactly: DateTimeOriginal, then DateTimeDigitized,
// then DateTime, each read as a naive *local* time of the machine doing the indexing. kWithOffset
// (the default) additionally honours the matching EXIF 2.31 OffsetTime* tag and SubSecTime* tag
// when present, which makes the time zone-independent; see docs/formats.md "Capture time".
// Pure apart from reading the time zone and stat(); thread-safe.
#pragma once

#include <nlohmann/json.hpp>

#include <filesystem>
#include <optional>
#include <string_view>

#include "util/status.h"

namespace photomap::media {

enum class CaptureTimeMode {
  kPhotoMapAI,  // naive local time, offsets and sub-seconds ignored: identical sort order
  kWithOffset,  // honour OffsetTime*/SubSecTime* when present, else as kPhotoMapAI
};

enum class CaptureTimeSource { kDateTimeOriginal, kDateTimeDigitized, kDateTime, kFileMtime };

struct CaptureTime {
  double epoch_seconds = 0;  // seconds since 1970-01-01T00:00:00Z
  CaptureTimeSource source = CaptureTimeSource::kFileMtime;
  bool used_offset = false;  // true when an OffsetTime* tag decided the UTC instant
};

// Returns the capture time from `metadata` (the dict of ExtractMetadata: top-level
// "DateTimeOriginal", "DateTimeDigitized", "DateTime" strings and their "OffsetTime*" and
// "SubsecTime*" companions), falling back to the mtime of `path`.
// Errors: NotFound / Io only when the fallback is needed and stat() fails.
Result<CaptureTime> ResolveCaptureTime(const nlohmann::json& metadata,
                                       const std::filesystem::path& path,
                                       CaptureTimeMode mode = CaptureTimeMode::kWithOffset);

// Parses an EXIF date "YYYY:MM:DD HH:MM:SS" the way Python's strptime("%Y:%m:%d %H:%M:%S") does
// (1–2 digit fields, a real calendar date, nothing trailing) and returns it as local time via
// mktime, as datetime.timestamp() does for a naive datetime. nullopt when it does not parse.
std::optional<double> ParseExifDateTimeLocal(std::string_view text);

// As ParseExifDateTimeLocal, but the fields are taken as UTC and `offset_seconds` east of UTC is
// subtracted: the instant the camera recorded.
std::optional<double> ParseExifDateTimeWithOffset(std::string_view text, int offset_seconds);

// Parses an EXIF OffsetTime value "+HH:MM" / "-HH:MM" (also "Z") into seconds east of UTC.
// nullopt for anything else, including blank "   :  " values cameras write when unknown.
std::optional<int> ParseExifOffset(std::string_view text);

// Parses SubSecTime* digits ("123" → 0.123). nullopt when not all digits.
std::optional<double> ParseExifSubSeconds(std::string_view text);

}  // namespace photomap::media
