// `photomap models list | pull SPEC | remove SPEC`: the model store from the command line.
// Pull shows a progress line on stderr and stops cleanly on Ctrl-C (the partial file is kept
// and the next pull resumes it).
#pragma once

#include <string>

#include "app/environment.h"

namespace photomap::app {

struct ModelsOptions {
  std::string action;     // "list", "pull" or "remove"
  std::string spec;       // for pull / remove
  std::string base_url;   // model hub; empty = Hugging Face
  std::string cache_dir;  // empty = $XDG_CACHE_HOME/photomap/models or ~/.cache/photomap/models
};

// Returns the process exit code (0 success, 1 failure with the message printed).
int RunModels(const ModelsOptions& options, const Environment& env);

}  // namespace photomap::app
