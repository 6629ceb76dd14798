#include "http/album_lock.h"

#include <algorithm>

namespace photomap::http {
namespace {

std::string Strip(const std::string& s) {
  size_t b = s.find_first_not_of(" \t\r\n");
  if (b == std::string::npos) return "";
  size_t e = s.find_last_not_of(" \t\r\n");
  return s.substr(b, e - b + 1);
}

}  // namespace

AlbumLock::AlbumLock(std::vector<std::string> locked_keys) {
  for (auto& k : locked_keys) {
    std::string stripped = Strip(k);
    if (!stripped.empty()) keys_.push_back(std::move(stripped));
  }
}

AlbumLock AlbumLock::FromList(const std::string& comma_separated) {
  std::vector<std::string> keys;
  size_t start = 0;
  while (start <= comma_separated.size()) {
    size_t comma = comma_separated.find(',', start);
    keys.push_back(comma_separated.substr(start, comma - start));
    if (comma == std::string::npos) break;
    start = comma + 1;
  }
  return AlbumLock(std::move(keys));
}

bool AlbumLock::Allows(const std::string& album_key) const {
  return !active() || std::find(keys_.begin(), keys_.end(), album_key) != keys_.end();
}

Status AlbumLock::CheckAlbum(const std::string& album_key) const {
  if (Allows(album_key)) return Status::Ok();
  std::string list;
  for (const auto& k : keys_) list += (list.empty() ? "" : ",") + k;
  return PermissionDenied("Album management is locked to album(s) '" + list +
                          "' in this deployment.");
}

Status AlbumLock::RequireNoLock() const {
  if (!active()) return Status::Ok();
  return PermissionDenied("Album management is locked in this deployment.");
}

}  // namespace photomap::http
