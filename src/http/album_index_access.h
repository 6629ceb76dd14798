// Helpers shared by the routes that address an album's images by API position: the album's
// current snapshot, the row at a position, and PhotoMapAI's relative-path rule
// (get_relative_path, backend-spec §1.4.1). Thread-safe.
#pragma once

#include <memory>
#include <optional>
#include <string>

#include <httplib.h>

#include "config/album.h"
#include "http/services.h"
#include "index/index_snapshot.h"

namespace photomap::http {

// The album's snapshot. On failure writes `404 {"detail": "Index file does not exist"}` (or
// the store's error) and returns null.
std::shared_ptr<const index::IndexSnapshot> RequireSnapshot(Services& services,
                                                            const config::Album& album,
                                                            httplib::Response& res);

// Parses a path parameter as a position in `snapshot`; nullopt when not an integer (writes
// 422) or out of range (writes 404 `not_found_detail`).
std::optional<size_t> RequirePosition(const std::string& text, const index::IndexSnapshot& snapshot,
                                      httplib::Response& res,
                                      const std::string& not_found_detail = "Index out of range");

// `full` relative to the first resolved album path that contains it (posix), else its basename.
std::string RelativeToAlbum(const config::Album& album, const std::string& full);

}  // namespace photomap::http
