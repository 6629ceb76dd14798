// The browser UI: GET / (the page, with window.slideshowConfig chosen by PhotoMapAI's album
// rules, backend-spec §1.1) and GET /static/… (the built web assets). Assets are also served under
// "static/<asset_version>/…" with `Cache-Control: public, max-age=31536000, immutable`, where the
// version hashes the app version and every .js/.css/.html/.webmanifest file, so a new build
// changes every URL the page references.
//
// The page is `<web_root>/index.html` with two placeholders filled in: `%PHOTOMAP_ASSET_BASE%`
// (→ "static/<asset_version>/") and `<!--photomap:config-->` (→ a <script> setting
// window.slideshowConfig; values are JSON-escaped for a script context); Vite's `"./assets/`
// references (base "./") are pointed at "static/<asset_version>/assets/". Without a built UI a
// small built-in page says so and links to the API.
#pragma once

#include <string>

#include "http/router.h"
#include "http/services.h"

namespace photomap::http {

// PhotoMapAI's asset version: "v" + version with [^A-Za-z0-9.-] → "-" + "." + the first 10 hex
// digits of SHA-1(version, then per asset file in path order: relpath, '\0', bytes).
std::string ComputeAssetVersion(const std::string& app_version, const std::string& web_root);

// `web_root` may be empty or missing: then only the built-in page is served.
void AddUiRoutes(Router& router, Services& services, const std::string& web_root);

}  // namespace photomap::http
