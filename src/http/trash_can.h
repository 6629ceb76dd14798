// MoveToTrash: the freedesktop.org Trash specification 1.0 for one file: into the home trash
// (<data home>/Trash) when the file is on the same device, else into the volume's
// $topdir/.Trash-$uid; the .trashinfo file is written first (O_EXCL) and names never collide.
// Stateless and thread-safe.
#pragma once

#include <string>

#include "util/status.h"

namespace photomap::http {

// Moves `path` to the trash. `home_trash` is "$XDG_DATA_HOME/Trash".
// Errors: PermissionDenied when a trash folder cannot be created or written; NotFound when the
// file is gone; Io otherwise.
Status MoveToTrash(const std::string& path, const std::string& home_trash);

}  // namespace photomap::http
