// AlbumIndexes: the process's cache of published index snapshots, one per index database.
//
// Get() checks the database's generation on every call (one small SQLite read) and rebuilds the
// snapshot only when it moved, so a publish, delete or move by any thread or process is seen by
// the next request while concurrent readers keep their shared_ptr to the old snapshot.
// Thread-safe.
#pragma once

#include <map>
#include <memory>
#include <mutex>
#include <string>

#include "index/index_snapshot.h"
#include "util/status.h"

namespace photomap::index {

class AlbumIndexes {
 public:
  AlbumIndexes() = default;
  AlbumIndexes(const AlbumIndexes&) = delete;
  AlbumIndexes& operator=(const AlbumIndexes&) = delete;

  // True when the album's database exists and has been published at least once.
  static bool Exists(const std::string& album_index_path);

  // The current snapshot of the album whose `index` setting is `album_index_path`.
  // Errors: NotFound "Index file does not exist" when nothing was ever published; the store's
  // Io/Corrupt errors.
  Result<std::shared_ptr<const IndexSnapshot>> Get(const std::string& album_index_path);

  // Forgets the cached snapshot (remove_index; backend-spec §12.9 fixed).
  void Drop(const std::string& album_index_path);

 private:
  std::mutex mu_;  // guards cache_; loads run outside it
  std::map<std::string, std::shared_ptr<const IndexSnapshot>> cache_;
};

}  // namespace photomap::index
