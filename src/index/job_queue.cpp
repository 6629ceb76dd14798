#include "index/job_queue.h"

#include <algorithm>

#include <spdlog/spdlog.h>

namespace photomap::index {

std::string CompletionMessage(const IndexingSummary& s) {
  if (!s.published) return "No new images needed to be indexed";
  const size_t added = s.encoded + s.reused;
  if (added > 0) return "Successfully indexed " + std::to_string(added) + " new images";
  return "Indexing completed successfully";
}

Status RunMappingPhase(const MappingStep& mapping, const config::Album& album, int64_t total_images,
                       ProgressTracker& tracker) {
  const int64_t steps = std::max<int64_t>(total_images, 1);
  const std::string step = "Creating the semantic map...";
  auto cancel = tracker.CancelFlag(album.key);
  if (cancel->load()) return Cancelled("Indexing cancelled by user");
  tracker.Start(album.key, JobStatus::kMapping, steps, step);
  return mapping(album, [&](double fraction) {
    if (cancel->load()) return false;
    tracker.Update(album.key, static_cast<int64_t>(fraction * static_cast<double>(steps)), step);
    return true;
  });
}

JobQueue::JobQueue(EncoderProvider& encoders, ProgressTracker& tracker, IndexingOptions options,
                   MappingStep mapping)
    : encoders_(encoders),
      tracker_(tracker),
      options_(options),
      mapping_(std::move(mapping)),
      thread_([this] { Loop(); }) {}

JobQueue::~JobQueue() {
  {
    std::lock_guard lock(mu_);
    shutdown_ = true;
    if (!running_.empty()) tracker_.CancelFlag(running_)->store(true);
    queue_.clear();
  }
  cv_.notify_all();
  thread_.join();
}

Status JobQueue::Submit(const config::Album& album) {
  std::lock_guard lock(mu_);
  bool queued = running_ == album.key;
  for (const auto& a : queue_) queued = queued || a.key == album.key;
  if (queued) return Busy("Index update already running for album '" + album.key + "'");
  tracker_.ResetCancel(album.key);
  tracker_.Start(album.key, JobStatus::kScanning, 0, "Preparing index update...");
  if (!running_.empty() || !queue_.empty()) {
    tracker_.SetStep(album.key, "Waiting for another album's indexing job to finish...");
  }
  queue_.push_back(album);
  cv_.notify_all();
  return Status::Ok();
}

Status JobQueue::Cancel(const std::string& album_key) {
  std::lock_guard lock(mu_);
  bool active = running_ == album_key;
  for (const auto& a : queue_) active = active || a.key == album_key;
  if (!active || !tracker_.Running(album_key)) {
    return NotFound("No active operation for album '" + album_key + "'");
  }
  tracker_.Cancel(album_key);
  return Status::Ok();
}

bool JobQueue::Active(const std::string& album_key) {
  std::lock_guard lock(mu_);
  if (running_ == album_key) return true;
  for (const auto& a : queue_) {
    if (a.key == album_key) return true;
  }
  return false;
}

void JobQueue::WaitIdle() {
  std::unique_lock lock(mu_);
  cv_.wait(lock, [&] { return shutdown_ || (running_.empty() && queue_.empty()); });
}

void JobQueue::Loop() {
  while (true) {
    config::Album album;
    {
      std::unique_lock lock(mu_);
      cv_.wait(lock, [&] { return shutdown_ || !queue_.empty(); });
      if (shutdown_) return;
      album = std::move(queue_.front());
      queue_.pop_front();
      running_ = album.key;
    }
    if (!tracker_.CancelFlag(album.key)->load()) RunOne(album);
    {
      std::lock_guard lock(mu_);
      running_.clear();
    }
    cv_.notify_all();
  }
}

void JobQueue::RunOne(const config::Album& album) {
  auto cancel = tracker_.CancelFlag(album.key);
  tracker_.SetStep(album.key, "Preparing index update...");
  auto result = RunIndexingJob(album, encoders_, tracker_, *cancel, options_);
  if (result.ok() && mapping_) {
    const auto images = static_cast<int64_t>(result->scanned - result->unreadable);
    Status mapped = RunMappingPhase(mapping_, album, images, tracker_);
    if (!mapped.ok() && mapped.error().kind == ErrorKind::kCancelled) {
      result = mapped.error();
    } else if (!mapped.ok()) {
      tracker_.AddWarning(album.key,
                          "The semantic map could not be updated: " + mapped.error().message);
    }
  }
  if (result.ok()) {
    tracker_.Complete(album.key, CompletionMessage(*result));
    spdlog::info("indexing {}: {}", album.key, CompletionMessage(*result));
  } else if (result.error().kind == ErrorKind::kCancelled || cancel->load()) {
    tracker_.SetError(album.key, "Indexing cancelled by user");
    spdlog::info("indexing {}: cancelled", album.key);
  } else {
    tracker_.SetError(album.key, result.error().message);
    spdlog::warn("indexing {}: {}", album.key, result.error().message);
  }
}

}  // namespace photomap::index
