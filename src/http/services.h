// Services: what the HTTP layer needs from the rest of the process, wired by app/. The
// pointed-to objects outlive the server; each is thread-safe on its own.
#pragma once

#include <string>

#include "config/config_store.h"
#include "http/album_lock.h"

namespace photomap::index {
class AlbumIndexes;
class EncoderProvider;
class JobQueue;
class ProgressTracker;
}  // namespace photomap::index

namespace photomap::map {
class AlbumMapService;
}  // namespace photomap::map

namespace photomap::http {

struct Services {
  config::ConfigStore* config = nullptr;
  AlbumLock lock;
  bool has_gpu = false;  // decides the default encoder for new albums
  std::string version;   // photomap's version, for pages and /version
  // Indexing and search (index_routes, search_routes, media_routes); null → routes not wired.
  index::AlbumIndexes* indexes = nullptr;
  index::ProgressTracker* progress = nullptr;
  index::JobQueue* jobs = nullptr;
  index::EncoderProvider* encoders = nullptr;
  // The semantic map (map_routes, get_umap_eps); null → the map routes answer 404.
  map::AlbumMapService* maps = nullptr;
  std::string video_still_root;  // video stills live in <root>/<album index dir name>/
  std::string trash_dir;         // the home trash, $XDG_DATA_HOME/Trash (freedesktop.org spec)
  std::string album_root = "/";  // PHOTOMAP_ALBUM_ROOT: the folder picker's fence (filetree_routes)
};

}  // namespace photomap::http
