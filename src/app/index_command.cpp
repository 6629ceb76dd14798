#include "app/index_command.h"

#include <atomic>
#include <chrono>
#include <cstdio>
#include <optional>
#include <thread>

#include "app/map_stack.h"
#include "app/resolved_encoder.h"
#include "app/stop_signals.h"

#include "config/config_store.h"
#include "index/indexing_job.h"
#include "index/job_queue.h"
#include "model/model_store.h"

namespace photomap::app {
namespace {

void PrintProgress(const index::ProgressView& v) {
  std::printf("[%s] %lld/%lld %5.1f%%  %s", index::JobStatusName(v.status),
              static_cast<long long>(v.images_processed), static_cast<long long>(v.total_images),
              v.progress_percentage, v.current_step.c_str());
  if (v.estimated_time_remaining) std::printf("  (about %.0f s left)", *v.estimated_time_remaining);
  std::printf("\n");
  std::fflush(stdout);
}

}  // namespace

int RunIndex(const IndexOptions& options, const Environment& env) {
  config::ConfigStore store(options.config_path, config::PathContext{env.home, env.UserDataDir()});
  auto config = store.Snapshot();
  if (!config.ok()) {
    std::fprintf(stderr, "photomap: %s\n", config.error().message.c_str());
    return 1;
  }
  const config::Album* album = (*config)->FindAlbum(options.album_key);
  if (album == nullptr) {
    std::fprintf(stderr, "photomap: Album '%s' not found in %s\n", options.album_key.c_str(),
                 options.config_path.c_str());
    return 1;
  }
  const std::string root = env.ModelStoreDir(options.model_dir);
  index::AutoEncoderOptions auto_encoder;
  auto_encoder.default_spec = config::DefaultEncoderSpec(/*has_gpu=*/false);
  auto_encoder.allow_download = !options.offline;
  auto_encoder.hub_base_url = env.ModelHubUrl();
  index::EncoderProvider encoders(root, {}, auto_encoder);
  encoders.SetSpecRecorder([&store](const std::string& key, const std::string& spec) {
    return SaveResolvedEncoder(store, key, spec);
  });
  index::ProgressTracker tracker;
  auto cancel = tracker.CancelFlag(album->key);

  std::atomic<bool> finished{false};
  std::optional<StopSignals> stop_signals;
  stop_signals.emplace([&](int) {
    if (!finished.load()) {
      std::fprintf(stderr, "photomap: cancelling (encoded work is kept for the next run)\n");
      cancel->store(true);
    }
  });
  std::thread printer([&] {
    while (!finished.load()) {
      std::this_thread::sleep_for(std::chrono::milliseconds(1000));
      if (!finished.load()) PrintProgress(tracker.Get(album->key));
    }
  });

  tracker.Start(album->key, index::JobStatus::kScanning, 0, "Preparing index update...");
  auto result = index::RunIndexingJob(*album, encoders, tracker, *cancel);
  if (result.ok()) {
    // The mapping phase, as the server runs it, so the map is ready when the server opens it.
    index::AlbumIndexes indexes;
    MapStack maps(indexes, encoders, env);
    const auto images = static_cast<int64_t>(result->scanned - result->unreadable);
    Status mapped = index::RunMappingPhase(maps.MappingStep(), *album, images, tracker);
    if (!mapped.ok() && mapped.error().kind == ErrorKind::kCancelled) result = mapped.error();
    if (!mapped.ok() && mapped.error().kind != ErrorKind::kCancelled) {
      tracker.AddWarning(album->key,
                         "The semantic map could not be updated: " + mapped.error().message);
    }
  }
  finished.store(true);
  stop_signals.reset();
  printer.join();

  if (result.ok()) {
    tracker.Complete(album->key, index::CompletionMessage(*result));
    PrintProgress(tracker.Get(album->key));
    auto v = tracker.Get(album->key);
    if (v.warning_message) std::printf("warning: %s\n", v.warning_message->c_str());
    for (const auto& f : tracker.FailedFiles(album->key)) {
      std::printf("  skipped %s: %s\n", f.path.c_str(), f.reason.c_str());
    }
    return 0;
  }
  if (result.error().kind == ErrorKind::kCancelled) {
    std::printf("Indexing cancelled by user\n");
    return 130;
  }
  std::fprintf(stderr, "photomap: %s\n", result.error().message.c_str());
  return 1;
}

}  // namespace photomap::app
