// AlbumLayouts: each album's semantic-map layout for its current published index, kept on disk
// (layout_file.h) and in memory. When the index changed since the layout was stored, Get()
// updates it with UpdateLayout (keep / place new rows only / refit) and stores the result, so
// the map a user knows stays put as the album grows, and the same index always gives the same
// map.
//
// Thread-safe: concurrent callers for one album compute once (the others wait and share it);
// albums are independent.
#pragma once

#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "index/album_indexes.h"
#include "index/index_snapshot.h"
#include "map/umap.h"
#include "util/status.h"

namespace photomap::map {

struct AlbumLayout {
  std::shared_ptr<const index::IndexSnapshot> snapshot;
  std::vector<float> xy;                // x/y interleaved, one point per snapshot row (row order)
  MapUpdate update = MapUpdate::kKeep;  // how this layout was obtained from the stored one
};

struct AlbumLayoutOptions {
  UmapParams umap;  // seed 0, PhotoMapAI's neighbours and min_dist
  MapUpdatePolicy policy;
};

class AlbumLayouts {
 public:
  explicit AlbumLayouts(index::AlbumIndexes& indexes, AlbumLayoutOptions options = {});
  AlbumLayouts(const AlbumLayouts&) = delete;
  AlbumLayouts& operator=(const AlbumLayouts&) = delete;

  // The layout of the album's current index, computed and stored when stale (`force_refit`:
  // always fit from scratch). Errors: AlbumIndexes::Get's (NotFound "Index file does not
  // exist"); Cancelled when `progress` returns false (nothing is stored then).
  Result<std::shared_ptr<const AlbumLayout>> Get(const std::string& album_index_path,
                                                 const ProgressFn& progress = {},
                                                 bool force_refit = false);

  // Forgets the album's cached layout (the stored file stays).
  void Drop(const std::string& album_index_path);

 private:
  struct Slot {
    std::mutex compute;  // held while one caller updates the layout
    std::shared_ptr<const AlbumLayout> current;
  };
  std::shared_ptr<Slot> SlotFor(const std::string& album_index_path);

  index::AlbumIndexes& indexes_;
  const AlbumLayoutOptions options_;
  std::mutex mu_;  // guards slots_
  std::map<std::string, std::shared_ptr<Slot>> slots_;
};

}  // namespace photomap::map
