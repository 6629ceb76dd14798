// PathContext: the per-user directories that config paths are resolved against. Built once by
// app/ from the environment (HOME, XDG_*) and passed down; config code never reads getenv.
#pragma once

#include <string>

namespace photomap::config {

struct PathContext {
  std::string home;           // for "~" expansion; empty leaves "~" as is
  std::string user_data_dir;  // e.g. ~/.local/share/photomap; board-album indexes live below

  // Expands a leading "~" or "~/" like Python's Path.expanduser.
  std::string ExpandUser(const std::string& path) const;
  // expanduser + absolute + symlinks resolved where the path exists (Python's
  // Path.expanduser().resolve()), as a posix string. Never fails: unresolvable parts are kept.
  std::string Resolve(const std::string& path) const;
};

}  // namespace photomap::config
