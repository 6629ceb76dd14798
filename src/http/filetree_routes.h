// The folder-picker routes of PhotoMapAI's file-tree router (backend-spec §1.8), fenced to the
// album root (PHOTOMAP_ALBUM_ROOT, default "/"): GET /filetree/directories, GET /filetree/home,
// POST /filetree/create_directory. All are refused (403) while albums are locked.
// Deliberate difference (docs/api.md): a symlinked child folder that resolves outside the root is
// not listed, so the picker never offers a path the next request would refuse.
#pragma once

#include "http/router.h"
#include "http/services.h"

namespace photomap::http {

void AddFiletreeRoutes(Router& router, Services& services);

}  // namespace photomap::http
