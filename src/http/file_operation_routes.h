// The file-changing routes of the index router (backend-spec §1.3): delete_image,
// delete_images (freedesktop.org trash or permanent), move_images, copy_images, and
// download_images_zip (streamed, 2 GB cap). Each file goes through media/file_access.h; the index
// rows follow in one store transaction per request.
#pragma once

#include "http/router.h"
#include "http/services.h"

namespace photomap::http {

void AddFileOperationRoutes(Router& router, Services& services);

}  // namespace photomap::http
