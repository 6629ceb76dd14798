// The file-serving routes (backend-spec §1.4.2): /thumbnails, /video_frame (by API position),
// /images, /videos, /image_by_name (by path or name). Every file goes through
// media/file_access.h; bytes are streamed with Range support by http/file_response.h.
#pragma once

#include "http/router.h"
#include "http/services.h"

namespace photomap::http {

void AddMediaRoutes(Router& router, Services& services);

}  // namespace photomap::http
