// Services: what the HTTP layer needs from the rest of the process, wired by app/. The
// pointed-to objects outlive the server; each is thread-safe on its own.
#pragma once

#include <string>

#include "config/config_store.h"
#include "http/album_lock.h"

namespace photomap::http {

struct Services {
  config::ConfigStore* config = nullptr;
  AlbumLock lock;
  bool has_gpu = false;        // decides the default encoder for new albums
  std::string version;         // photomap's version, for pages and /version
};

}  // namespace photomap::http
