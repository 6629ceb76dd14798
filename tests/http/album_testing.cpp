#include "http/album_testing.h"

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <thread>

namespace photomap::testing {

namespace fs = std::filesystem;
using nlohmann::json;

std::vector<std::pair<std::string, std::string>> IsolatedEnv(const TempDir& dir) {
  return {{"HOME", dir.path()},
          {"XDG_CONFIG_HOME", dir.Join("xdg_config")},
          {"XDG_DATA_HOME", dir.Join("data")},
          {"XDG_CACHE_HOME", dir.Join("cache")}};
}

std::unique_ptr<ServerProcess> StartIsolated(const TempDir& dir, std::string* error) {
  return ServerProcess::Start({dir.Join("config.yaml"), {}, IsolatedEnv(dir)}, error);
}

size_t CopyRealPhotos(const std::string& dest, size_t count) {
  fs::create_directories(dest);
  std::vector<fs::path> sources;
  for (const auto& e : fs::directory_iterator(std::string(PHOTOMAP_SHARED_DIR) + "/photos/real")) {
    if (e.path().extension() != ".md") sources.push_back(e.path());
  }
  std::sort(sources.begin(), sources.end());
  size_t copied = 0;
  for (const auto& source : sources) {
    if (copied >= count) break;
    fs::copy_file(source, fs::path(dest) / source.filename());
    ++copied;
  }
  return copied;
}

json FixtureAlbum(const std::string& key, const std::string& photos) {
  return {{"key", key},
          {"name", key},
          {"image_paths", {photos}},
          {"index", photos + "/photomap_index/embeddings.npz"},
          {"encoder_spec", std::string("local:") + PHOTOMAP_SHARED_DIR + "/fixtures/clip/e2e_clip"},
          {"min_image_dimension", 1},
          {"min_image_bytes", 0}};
}

httplib::Result PostJson(const ServerProcess& server, const std::string& path, const json& body) {
  return server.Client().Post(path.c_str(), body.dump(), "application/json");
}

json IndexAndWait(const ServerProcess& server, const std::string& key) {
  auto started = PostJson(server, "/update_index_async/", {{"album_key", key}});
  if (!started || started->status != 202) return json();
  json last;
  for (int i = 0; i < 2400; ++i) {
    auto r = server.Client().Get(("/index_progress/" + key).c_str());
    if (r) last = json::parse(r->body, nullptr, false);
    if (last.is_object() && (last["status"] == "completed" || last["status"] == "error")) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  return last;
}

}  // namespace photomap::testing
