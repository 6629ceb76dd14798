#include "app/serve_command.h"

#include <signal.h>
#include <spdlog/spdlog.h>
#include <unistd.h>

#include <cstdio>
#include <thread>

#include "app/map_stack.h"
#include "app/resolved_encoder.h"
#include "app/stop_signals.h"
#include "config/config_store.h"
#include "http/album_routes.h"
#include "http/file_operation_routes.h"
#include "http/filetree_routes.h"
#include "http/index_routes.h"
#include "http/map_routes.h"
#include "http/media_routes.h"
#include "http/search_routes.h"
#include "http/server.h"
#include "http/ui_routes.h"
#include "index/album_indexes.h"
#include "index/encoder_provider.h"
#include "index/job_queue.h"
#include "index/progress_tracker.h"
#include "model/model_store.h"

namespace photomap::app {
namespace {

bool IsLoopback(const std::string& host) {
  return host == "127.0.0.1" || host == "localhost" || host == "::1";
}

// Opens the UI in the user's browser when someone can see it: loopback host, a display, not
// inside a container.
void MaybeOpenBrowser(const ServeOptions& options, const Environment& env, const std::string& url) {
  if (!options.open_browser || !IsLoopback(options.host) || !env.has_display ||
      ::access("/.dockerenv", F_OK) == 0) {
    return;
  }
  pid_t pid = ::fork();
  if (pid == 0) {
    ::setsid();
    ::execlp("xdg-open", "xdg-open", url.c_str(), static_cast<char*>(nullptr));
    ::_exit(127);
  }
}

// Queues an indexing job for each "auto" album the lock allows (see ServeOptions).
void IndexNewAlbums(config::ConfigStore& store, const http::AlbumLock& lock,
                    index::JobQueue& jobs) {
  auto snapshot = store.Snapshot();
  if (!snapshot.ok()) return;
  for (const auto& album : (*snapshot)->albums) {
    if (album.encoder_spec != config::kAutoEncoderSpec || !lock.Allows(album.key)) continue;
    if (album.is_board()) continue;
    if (Status queued = jobs.Submit(album); queued.ok()) {
      spdlog::info("album '{}' has never been indexed; indexing it now", album.key);
    }
  }
}

}  // namespace

int RunServe(const ServeOptions& options, const Environment& env, const std::string& version) {
  config::PathContext paths{env.home, env.UserDataDir()};
  config::ConfigStore store(options.config_path, paths);
  if (auto error = store.LoadError()) {
    spdlog::error("{}", error->message);
    spdlog::error("photomap starts anyway; album changes are refused until the file is fixed");
  }
  for (const auto& notice : store.TakeNotices()) spdlog::info("config: {}", notice.message);

  http::Services services;
  services.config = &store;
  services.lock = http::AlbumLock(options.album_locked);
  services.version = version;
  index::ProgressTracker progress;
  index::AlbumIndexes indexes;
  index::AutoEncoderOptions auto_encoder;
  auto_encoder.default_spec = config::DefaultEncoderSpec(services.has_gpu);
  auto_encoder.allow_download = options.allow_model_download;
  auto_encoder.hub_base_url = env.ModelHubUrl();
  index::EncoderProvider encoders(env.ModelStoreDir(), {}, auto_encoder);
  encoders.SetSpecRecorder([&store](const std::string& key, const std::string& spec) {
    return SaveResolvedEncoder(store, key, spec);
  });
  MapStack maps(indexes, encoders, env);
  index::JobQueue jobs(encoders, progress, {}, maps.MappingStep());
  services.maps = &maps.service();
  services.progress = &progress;
  services.indexes = &indexes;
  services.encoders = &encoders;
  services.jobs = &jobs;
  services.video_still_root = env.UserCacheDir() + "/video_frames";
  if (env.album_root && !env.album_root->empty()) services.album_root = *env.album_root;
  services.trash_dir =
      (env.xdg_data_home && !env.xdg_data_home->empty() ? *env.xdg_data_home
                                                        : env.home + "/.local/share") +
      "/Trash";
  if (services.lock.active()) {
    auto snap = store.Snapshot();
    if (!snap.ok()) {
      std::fprintf(stderr, "photomap: --album-locked needs a readable config: %s\n",
                   snap.error().message.c_str());
      return 1;
    }
    for (const auto& key : services.lock.keys()) {
      if ((*snap)->FindAlbum(key) == nullptr) {
        std::fprintf(stderr, "photomap: locked album '%s' is not in %s\n", key.c_str(),
                     options.config_path.c_str());
        return 1;
      }
    }
  }

  http::ServerOptions server_options;
  server_options.host = options.host;
  server_options.port = options.port;
  server_options.cert_path = options.cert_path;
  server_options.key_path = options.key_path;
  http::HttpServer server(server_options, services);
  http::AddAlbumRoutes(server.router(), services);
  http::AddIndexRoutes(server.router(), services);
  http::AddSearchRoutes(server.router(), services);
  http::AddMediaRoutes(server.router(), services);
  http::AddFileOperationRoutes(server.router(), services);
  http::AddMapRoutes(server.router(), services);
  http::AddFiletreeRoutes(server.router(), services);
  http::AddUiRoutes(server.router(), services, options.web_root);

  if (Status bound = server.Bind(); !bound.ok()) {
    std::fprintf(stderr, "photomap: %s\n", bound.error().message.c_str());
    return 1;
  }
  const bool tls = !options.cert_path.empty();
  const std::string shown_host =
      options.host.find(':') != std::string::npos ? "[" + options.host + "]" : options.host;
  const std::string url = std::string(tls ? "https" : "http") + "://" + shown_host + ":" +
                          std::to_string(server.port()) + "/";
  std::printf("photomap: serving on %s (config %s)\n", url.c_str(), options.config_path.c_str());
  std::fflush(stdout);
  MaybeOpenBrowser(options, env, url);
  if (options.index_new_albums_on_start) IndexNewAlbums(store, services.lock, jobs);

  Status served;
  {
    StopSignals stop_signals([&server](int sig) {
      spdlog::info("signal {} received, shutting down", sig);
      server.Stop();
    });
    served = server.Serve();
  }
  if (!served.ok()) {
    std::fprintf(stderr, "photomap: %s\n", served.error().message.c_str());
    return 1;
  }
  return 0;
}

}  // namespace photomap::app
