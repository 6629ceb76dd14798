// Which files photomap treats as images or videos, decided by file-name suffix only.
//
// The lists are PhotoMapAI's (media_types.py) plus `.tif` and camera RAW suffixes. Matching is
// case-insensitive on the last suffix with Python `PurePath.suffix` semantics (".jpg" alone and
// "name." have no suffix). All functions are pure and thread-safe.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace photomap::scan {

enum class MediaKind { kImage, kVideo };

// Returns the lower-cased last suffix of the final path component, dot included (".jpg"), or ""
// when there is none. ASCII lower-casing only: suffixes are ASCII.
std::string LowerSuffix(std::string_view path);

// Suffix tests; `lower_suffix` is what LowerSuffix returns.
bool IsImageSuffix(std::string_view lower_suffix);
bool IsVideoSuffix(std::string_view lower_suffix);
// Camera RAW (.dng .cr2 .cr3 .nef .arw .orf .rw2 .raf); every RAW suffix is also an image suffix.
bool IsRawSuffix(std::string_view lower_suffix);

// Returns kImage or kVideo for a path whose suffix is in one of the lists, else nullopt.
std::optional<MediaKind> ClassifyMediaPath(std::string_view path);

// The suffix lists, in a fixed order (for docs, tests and the file-access check).
const std::vector<std::string_view>& ImageSuffixes();
const std::vector<std::string_view>& VideoSuffixes();

// The MIME type a video is served with (backend-spec §9.1), "application/octet-stream" when the
// suffix is not a known video suffix.
std::string_view VideoMimeType(std::string_view path);

// True for the suffixes browsers play natively (.mp4 .m4v .mov .webm).
bool IsWebPlayableVideo(std::string_view path);

}  // namespace photomap::scan
