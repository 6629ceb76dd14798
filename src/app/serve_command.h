// `photomap serve`: loads the configuration, checks the album lock, binds the HTTP server,
// queues indexing for never-indexed "auto" albums, and serves until SIGINT/SIGTERM. Prints one line
// "photomap: serving on <url>" to stdout once listening (tests read the chosen port from it).
#pragma once

#include <string>
#include <vector>

#include "app/environment.h"

namespace photomap::app {

struct ServeOptions {
  std::string host;         // from --host, PHOTOMAP_HOST, else 127.0.0.1
  int port = 8050;          // from --port, PHOTOMAP_PORT, else 8050; 0 = any free port
  std::string config_path;  // from --config, PHOTOMAP_CONFIG, else the XDG location
  std::vector<std::string> album_locked;
  std::string cert_path;
  std::string key_path;
  bool open_browser = true;
  std::string web_root;  // built web UI (index.html + assets); empty = built-in page
  // Index, right after start-up, every album whose encoder_spec is still "auto" (created
  // without an encoder and never indexed), so a fresh install and `make run`'s demo album are
  // browsable without a click. Albums with an explicit encoder are indexed only on request.
  bool index_new_albums_on_start = true;
  // Lets an "auto" album download the host default model when none is installed; false falls
  // back to classic:v1 without touching the network.
  bool allow_model_download = true;
};

// Returns the process exit code: 0 after a clean shutdown, 1 for a start-up error (message
// already printed).
int RunServe(const ServeOptions& options, const Environment& env, const std::string& version);

}  // namespace photomap::app
