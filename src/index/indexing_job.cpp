#include "index/indexing_job.h"

#include <algorithm>
#include <condition_variable>
#include <deque>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <thread>

#include <spdlog/spdlog.h>

#include "index/file_decoder.h"
#include "index/index_store.h"
#include "index/indexing_plan.h"

namespace photomap::index {
namespace {

Error CancelledByUser() { return Cancelled("Indexing cancelled by user"); }

// Decode workers pull file numbers from a counter and push results into a bounded queue; the
// consumer (the job thread) takes them in completion order. Stop() ends the workers promptly.
class DecodePool {
 public:
  struct Item {
    size_t index = 0;
    Result<DecodedFile> decoded = Internal("not decoded");
  };

  DecodePool(const std::vector<scan::ScanEntry>& files, const LoadedEncoder& encoder,
             const std::atomic<bool>& cancel, const IndexingOptions& options)
      : files_(files), encoder_(encoder), cancel_(cancel), capacity_(options.queue_capacity) {
    int threads = options.decode_threads > 0
                      ? options.decode_threads
                      : static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
    threads = static_cast<int>(std::min<size_t>(threads, std::max<size_t>(1, files.size())));
    for (int i = 0; i < threads; ++i) workers_.emplace_back([this] { Work(); });
  }
  ~DecodePool() { Stop(); }

  // Next decoded item; nullopt when the job was cancelled (checked every 50 ms).
  std::optional<Item> Next() {
    std::unique_lock lock(mu_);
    while (queue_.empty()) {
      if (cancel_.load()) return std::nullopt;
      ready_.wait_for(lock, std::chrono::milliseconds(50));
    }
    Item item = std::move(queue_.front());
    queue_.pop_front();
    space_.notify_one();
    return item;
  }

  void Stop() {
    {
      std::lock_guard lock(mu_);
      stop_ = true;
    }
    space_.notify_all();
    for (auto& t : workers_) {
      if (t.joinable()) t.join();
    }
  }

 private:
  void Work() {
    while (true) {
      const size_t i = next_.fetch_add(1);
      if (i >= files_.size() || cancel_.load()) return;
      {
        std::lock_guard lock(mu_);
        if (stop_) return;
      }
      Item item{i, DecodeForIndex(files_[i], encoder_.preprocess, encoder_.spec, &cancel_)};
      std::unique_lock lock(mu_);
      space_.wait(lock, [&] { return stop_ || queue_.size() < capacity_; });
      if (stop_) return;
      queue_.push_back(std::move(item));
      ready_.notify_one();
    }
  }

  const std::vector<scan::ScanEntry>& files_;
  const LoadedEncoder& encoder_;
  const std::atomic<bool>& cancel_;
  const size_t capacity_;
  std::atomic<size_t> next_{0};
  std::mutex mu_;
  std::condition_variable ready_, space_;
  std::deque<Item> queue_;  // guarded by mu_
  bool stop_ = false;       // guarded by mu_
  std::vector<std::thread> workers_;
};

Status EncodeAndStage(const LoadedEncoder& encoder, IndexStore& store,
                      std::vector<DecodedFile>& batch) {
  if (batch.empty()) return Status::Ok();
  const size_t per_image = batch[0].pixels.size();
  std::vector<float> pixels;
  pixels.reserve(per_image * batch.size());
  for (const auto& d : batch) pixels.insert(pixels.end(), d.pixels.begin(), d.pixels.end());
  auto embeddings = encoder.encoder->EncodeImages(pixels, static_cast<int>(batch.size()));
  if (!embeddings.ok()) return embeddings.error().WithContext("encoding a batch");
  std::vector<ImageRecord> records;
  records.reserve(batch.size());
  for (size_t i = 0; i < batch.size(); ++i) {
    ImageRecord r = std::move(batch[i].record);
    auto row = embeddings->row(static_cast<int>(i));
    r.embedding.assign(row.begin(), row.end());
    records.push_back(std::move(r));
  }
  batch.clear();
  return store.Stage(records);
}

std::string Basename(const std::string& path) {
  return std::filesystem::path(path).filename().string();
}

// The encode phase: every planned file through the decode pool and the encoder into staging.
Status EncodePhase(const config::Album& album, const std::vector<scan::ScanEntry>& files,
                   const LoadedEncoder& encoder, IndexStore& store, ProgressTracker& tracker,
                   const std::atomic<bool>& cancel, const IndexingOptions& options,
                   std::vector<FailedFile>* failed) {
  tracker.Start(album.key, JobStatus::kIndexing, static_cast<int64_t>(files.size()),
                "Starting indexing");
  if (files.empty()) return Status::Ok();
  DecodePool pool(files, encoder, cancel, options);
  std::vector<DecodedFile> batch;
  const size_t batch_size = static_cast<size_t>(std::max(1, options.batch_size));
  for (size_t done = 0; done < files.size(); ++done) {
    auto item = pool.Next();
    if (!item || cancel.load()) return CancelledByUser();
    tracker.Update(album.key, static_cast<int64_t>(done),
                   "Processing " + Basename(files[item->index].path));
    if (!item->decoded.ok()) {
      spdlog::warn("indexing {}: skipped {}", album.key, item->decoded.error().message);
      failed->push_back({files[item->index].path, item->decoded.error().message});
      continue;
    }
    batch.push_back(std::move(item->decoded).value());
    if (batch.size() >= batch_size) {
      if (cancel.load()) return CancelledByUser();
      PHOTOMAP_RETURN_IF_ERROR(EncodeAndStage(encoder, store, batch));
    }
  }
  if (cancel.load()) return CancelledByUser();
  PHOTOMAP_RETURN_IF_ERROR(EncodeAndStage(encoder, store, batch));
  tracker.Update(album.key, static_cast<int64_t>(files.size()), "Saving index");
  return Status::Ok();
}

Result<std::vector<scan::ScanEntry>> ScanPhase(const config::Album& album, ProgressTracker& tracker,
                                               const std::atomic<bool>& cancel) {
  scan::WalkOptions walk;
  walk.cancel = &cancel;
  // Listing and stat calls mostly wait on the file system (a network share, a cold disk), so
  // more threads than cores pay off there; on a warm cache 8 cost about what 2 do (bench_scan).
  walk.threads = 8;
  walk.progress = [&](size_t, size_t found) {
    tracker.SetStep(album.key, "Traversing image files... " + std::to_string(found) + " found");
  };
  auto walked = scan::WalkAlbumPaths(album.image_paths, walk);
  if (!walked.ok()) {
    if (walked.error().kind == ErrorKind::kCancelled) return CancelledByUser();
    return walked.error();
  }
  for (const auto& p : walked->problems) spdlog::warn("indexing {}: {}", album.key, p.message);
  tracker.SetStep(album.key, "File traversal complete - " + std::to_string(walked->entries.size()) +
                                 " images found");
  return std::move(walked->entries);
}

void TouchLastUpdated(const std::string& index_path) {
  const auto file = std::filesystem::path(index_path).parent_path() / "last_updated";
  std::ofstream touch(file, std::ios::app);
  std::error_code ec;
  std::filesystem::last_write_time(file, std::filesystem::file_time_type::clock::now(), ec);
}

}  // namespace

Result<IndexingSummary> RunIndexingJob(const config::Album& requested_album,
                                       EncoderProvider& encoders, ProgressTracker& tracker,
                                       const std::atomic<bool>& cancel,
                                       const IndexingOptions& options) {
  IndexingSummary summary;
  tracker.SetStep(requested_album.key, "Loading encoder " + requested_album.encoder_spec);
  auto encoder = encoders.ResolveForIndexing(requested_album.key, requested_album.encoder_spec,
                                             tracker, cancel);
  if (!encoder.ok()) return encoder.error();
  if (cancel.load()) return CancelledByUser();
  config::Album album = requested_album;
  album.encoder_spec = (*encoder)->spec;  // "auto" resolved; the index records this spec

  std::error_code ec;
  std::filesystem::create_directories(std::filesystem::path(album.index).parent_path(), ec);
  auto store = IndexStore::Open(DatabasePathForIndex(album.index));
  if (!store.ok()) return store.error();

  tracker.SetStep(album.key, "Scanning album files...");
  auto scanned = ScanPhase(album, tracker, cancel);
  if (!scanned.ok()) return scanned.error();
  summary.scanned = scanned->size();
  if (scanned->empty()) return NotFound("No image files found in album directory(ies)");

  auto published_encoder = (*store)->PublishedEncoder();
  if (!published_encoder.ok()) return published_encoder.error();
  auto published = (*store)->PublishedStamps();
  if (!published.ok()) return published.error();
  auto staged = (*store)->StagedStamps();
  if (!staged.ok()) return staged.error();
  scan::GateOptions gate;
  gate.min_image_bytes = album.min_image_bytes;
  gate.min_image_dimension = album.min_image_dimension;
  tracker.SetStep(album.key, "Checking new image files...");
  IndexingPlan plan = PlanIndexing(*scanned, *published, *staged, published_encoder->value_or(""),
                                   album.encoder_spec, gate);
  if (cancel.load()) return CancelledByUser();
  if (plan.rebuild) {
    tracker.SetStep(album.key, "Encoder changed (" + plan.previous_encoder + " → " +
                                   album.encoder_spec + "); rebuilding index from scratch");
  }
  PHOTOMAP_RETURN_IF_ERROR((*store)->RemoveStaged(plan.stale_staged));
  summary.reused = plan.reused_staged;
  summary.removed = plan.remove_paths.size();
  summary.changed = plan.changed;
  summary.rebuilt = plan.rebuild;

  std::vector<FailedFile> failed;
  Status encoded =
      EncodePhase(album, plan.to_encode, **encoder, **store, tracker, cancel, options, &failed);
  tracker.SetFailedFiles(album.key, failed);
  PHOTOMAP_RETURN_IF_ERROR(encoded);
  summary.unreadable = failed.size();
  summary.encoded = plan.to_encode.size() - failed.size();
  if (cancel.load()) return CancelledByUser();

  if (summary.encoded + summary.reused > 0 || !plan.remove_paths.empty() || plan.rebuild ||
      !published_encoder->has_value()) {
    PublishPlan publish{album.encoder_spec, plan.remove_paths, plan.rebuild};
    PHOTOMAP_RETURN_IF_ERROR((*store)->Publish(publish));
    summary.published = true;
  }
  TouchLastUpdated(album.index);
  if (!failed.empty()) tracker.AddWarning(album.key, UnreadableFilesWarning(failed.size()));
  return summary;
}

}  // namespace photomap::index
