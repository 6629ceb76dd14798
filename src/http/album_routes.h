// The album router (backend-spec §1.2): list, read, add, update (patch semantics), delete,
// LocationIQ key, stored cluster eps, plus /config_status/ for a config file that does not
// parse. Deliberate differences from PhotoMapAI are listed in docs/api.md.
#pragma once

#include "http/router.h"
#include "http/services.h"

namespace photomap::http {

void AddAlbumRoutes(Router& router, Services& services);

// Resolves a per-album route's album: the lock check (403) first, then existence (404
// "Album '<k>' not found"). On failure writes the response and returns nullopt.
std::optional<config::Album> RequireAlbum(Services& services, const std::string& key,
                                          httplib::Response& res);

}  // namespace photomap::http
