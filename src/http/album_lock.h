// AlbumLock: PhotoMapAI's PHOTOMAP_ALBUM_LOCKED policy (backend-spec §0.1). Immutable after
// construction, so safe to share between request threads.
//
// With no lock everything passes. With a lock, album management (routes that call
// RequireNoLock) is refused, and per-album routes accept only the locked keys.
#pragma once

#include <string>
#include <vector>

#include "util/status.h"

namespace photomap::http {

class AlbumLock {
 public:
  AlbumLock() = default;
  explicit AlbumLock(std::vector<std::string> locked_keys);

  // Parses "a, b,c" (comma-separated, entries stripped, empties dropped).
  static AlbumLock FromList(const std::string& comma_separated);

  bool active() const { return !keys_.empty(); }
  const std::vector<std::string>& keys() const { return keys_; }
  bool Allows(const std::string& album_key) const;

  // PermissionDenied "Album management is locked to album(s) '<k1,k2>' in this deployment."
  // when `album_key` is not a locked album.
  Status CheckAlbum(const std::string& album_key) const;
  // PermissionDenied "Album management is locked in this deployment." whenever a lock is set.
  Status RequireNoLock() const;

 private:
  std::vector<std::string> keys_;
};

}  // namespace photomap::http
