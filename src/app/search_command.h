// `photomap search --album KEY "text"`: searches an indexed album from the terminal, like rclip,
// printing one "score<TAB>path" line per result, best first.
#pragma once

#include <string>

#include "app/environment.h"

namespace photomap::app {

struct SearchOptions {
  std::string config_path;
  std::string album_key;
  std::string query;
  std::string negative;
  std::string image_path;  // optional query image
  int limit = 20;
  std::string model_dir;    // model store root; empty = the default cache location
  double min_score = -1e9;  // print everything the limit allows unless asked otherwise
};

// Returns 0 on success, 1 on error (printed).
int RunSearch(const SearchOptions& options, const Environment& env);

}  // namespace photomap::app
