#include "scan/media_types.h"

#include <algorithm>
#include <utility>

namespace photomap::scan {
namespace {

const std::vector<std::string_view> kImageSuffixes = {
    // PhotoMapAI IMAGE_EXTENSIONS
    ".jpg", ".jpeg", ".png", ".bmp", ".gif", ".webp", ".tiff", ".heif", ".heic",
    // photomap additions
    ".tif", ".dng", ".cr2", ".cr3", ".nef", ".arw", ".orf", ".rw2", ".raf"};

const std::vector<std::string_view> kRawSuffixes = {".dng", ".cr2", ".cr3", ".nef",
                                                    ".arw", ".orf", ".rw2", ".raf"};

// PhotoMapAI VIDEO_EXTENSIONS with their serving MIME types; ".ts" is deliberately absent.
const std::vector<std::pair<std::string_view, std::string_view>> kVideoMime = {
    {".mp4", "video/mp4"},        {".m4v", "video/x-m4v"},     {".mov", "video/quicktime"},
    {".webm", "video/webm"},      {".ogv", "video/ogg"},       {".ogg", "video/ogg"},
    {".mkv", "video/x-matroska"}, {".avi", "video/x-msvideo"}, {".wmv", "video/x-ms-wmv"},
    {".flv", "video/x-flv"},      {".asf", "video/x-ms-asf"},  {".mpg", "video/mpeg"},
    {".mpeg", "video/mpeg"},      {".m2v", "video/mpeg"},      {".vob", "video/mpeg"},
    {".m2ts", "video/mp2t"},      {".mts", "video/mp2t"},      {".3gp", "video/3gpp"},
    {".3g2", "video/3gpp2"}};

bool Contains(const std::vector<std::string_view>& list, std::string_view s) {
  return std::find(list.begin(), list.end(), s) != list.end();
}

}  // namespace

std::string LowerSuffix(std::string_view path) {
  size_t slash = path.find_last_of('/');
  std::string_view name = slash == std::string_view::npos ? path : path.substr(slash + 1);
  size_t dot = name.find_last_of('.');
  // Python: a leading dot ("." files) or a trailing dot means "no suffix".
  if (dot == std::string_view::npos || dot == 0 || dot + 1 == name.size()) return "";
  std::string out(name.substr(dot));
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

bool IsImageSuffix(std::string_view lower_suffix) { return Contains(kImageSuffixes, lower_suffix); }

bool IsRawSuffix(std::string_view lower_suffix) { return Contains(kRawSuffixes, lower_suffix); }

bool IsVideoSuffix(std::string_view lower_suffix) {
  return std::any_of(kVideoMime.begin(), kVideoMime.end(),
                     [&](const auto& e) { return e.first == lower_suffix; });
}

std::optional<MediaKind> ClassifyMediaPath(std::string_view path) {
  std::string suffix = LowerSuffix(path);
  if (IsImageSuffix(suffix)) return MediaKind::kImage;
  if (IsVideoSuffix(suffix)) return MediaKind::kVideo;
  return std::nullopt;
}

const std::vector<std::string_view>& ImageSuffixes() { return kImageSuffixes; }

const std::vector<std::string_view>& VideoSuffixes() {
  static const std::vector<std::string_view> list = [] {
    std::vector<std::string_view> v;
    for (const auto& e : kVideoMime) v.push_back(e.first);
    return v;
  }();
  return list;
}

std::string_view VideoMimeType(std::string_view path) {
  std::string suffix = LowerSuffix(path);
  for (const auto& e : kVideoMime) {
    if (e.first == suffix) return e.second;
  }
  return "application/octet-stream";
}

bool IsWebPlayableVideo(std::string_view path) {
  std::string suffix = LowerSuffix(path);
  return suffix == ".mp4" || suffix == ".m4v" || suffix == ".mov" || suffix == ".webm";
}

}  // namespace photomap::scan
