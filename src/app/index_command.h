// `photomap index --album KEY`: runs one album's indexing job in the foreground, printing a
// progress line per second; Ctrl-C (SIGINT) or SIGTERM cancels cleanly, keeping the encoded
// work as a checkpoint for the next run. An album whose encoder is "auto" is resolved as the
// server does, and the result is saved in config.yaml.
#pragma once

#include <string>

#include "app/environment.h"

namespace photomap::app {

struct IndexOptions {
  std::string config_path;
  std::string album_key;
  std::string model_dir;  // model store root; empty = the default cache location
  bool offline = false;   // an "auto" album never downloads a model (falls back to classic:v1)
};

// Returns 0 when the index is complete, 130 when cancelled, 1 on any other error (printed).
int RunIndex(const IndexOptions& options, const Environment& env);

}  // namespace photomap::app
