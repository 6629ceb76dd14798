// Helpers shared by the tests that drive a real server with an album: an isolated home, the real
// photos, an album on the tiny CLIP fixture encoder, and indexing to the end.
#pragma once

#include <memory>
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "http/server_process.h"

namespace photomap::testing {

// HOME and XDG_{CONFIG,DATA,CACHE}_HOME inside `dir`, so a test never touches the user's files.
std::vector<std::pair<std::string, std::string>> IsolatedEnv(const TempDir& dir);

// Starts `photomap serve` on dir/config.yaml with IsolatedEnv(dir).
std::unique_ptr<ServerProcess> StartIsolated(const TempDir& dir, std::string* error);

// Copies up to `count` files of shared/photos/real (its README skipped) into `dest` (created).
// Returns how many were copied.
size_t CopyRealPhotos(const std::string& dest, size_t count);

// The add_album body of an album over `photos` with the tiny real-architecture CLIP fixture as
// its encoder ("local:…/fixtures/clip/e2e_clip") and no size gate; its index lives in
// photos/photomap_index.
nlohmann::json FixtureAlbum(const std::string& key, const std::string& photos);

// POSTs `body` as JSON.
httplib::Result PostJson(const ServerProcess& server, const std::string& path,
                         const nlohmann::json& body);

// Starts indexing `key` and polls index_progress every 50 ms until `completed` or `error` (at
// most two minutes). Returns the last progress object (null when the start was refused).
nlohmann::json IndexAndWait(const ServerProcess& server, const std::string& key);

}  // namespace photomap::testing
