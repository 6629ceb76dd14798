// ProgressTracker: per-album progress of indexing jobs, in PhotoMapAI's ProgressResponse terms
// (backend-spec §1.3, §4.8), plus each album's cancel flag, pending completion warnings and the
// list of files the last run could not read.
//
// Entries persist after completion or error until the next Start(). Thread-safe: the job thread
// writes, request threads read and cancel.
#pragma once

#include <atomic>
#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

namespace photomap::index {

// PhotoMapAI's IndexStatus values.
enum class JobStatus { kIdle, kScanning, kDownloading, kIndexing, kMapping, kCompleted, kError };
const char* JobStatusName(JobStatus status);
// scanning, downloading, indexing and mapping count as running.
bool IsRunning(JobStatus status);

struct FailedFile {
  std::string path;
  std::string reason;  // the decoder's error message
};

// One album's progress as the API reports it.
struct ProgressView {
  std::string album_key;
  JobStatus status = JobStatus::kIdle;
  std::string current_step = "No operation in progress";
  int64_t images_processed = 0;
  int64_t total_images = 0;  // the real total (the route reports 0 as 1)
  double progress_percentage = 0;
  double elapsed_time = 0;
  std::optional<double> estimated_time_remaining;
  std::optional<std::string> error_message;
  std::optional<std::string> warning_message;
};

class ProgressTracker {
 public:
  using Clock = std::chrono::steady_clock;

  ProgressTracker() = default;
  ProgressTracker(const ProgressTracker&) = delete;
  ProgressTracker& operator=(const ProgressTracker&) = delete;

  // Replaces the album's entry: `status`, step `step`, processed 0, total `total`, a new start
  // time. Clears error and warning messages but NOT the cancel flag (a cancel that arrives
  // while the job moves from scanning to indexing must not be lost, backend-spec §12.3).
  void Start(const std::string& key, JobStatus status, int64_t total, const std::string& step);
  // Sets processed and the step; the status is unchanged.
  void Update(const std::string& key, int64_t processed, const std::string& step);
  // Sets the step only.
  void SetStep(const std::string& key, const std::string& step);
  // status error with `message` (creates the entry when missing).
  void SetError(const std::string& key, const std::string& message);
  // status completed, step `message`, processed = total, warning = the pending warnings joined
  // with " " (consumed), or null.
  void Complete(const std::string& key, const std::string& message);
  // Appends a completion warning unless an identical one is pending.
  void AddWarning(const std::string& key, const std::string& warning);

  // The album's progress (idle defaults when it has no entry).
  ProgressView Get(const std::string& key) const;
  bool Running(const std::string& key) const;

  // The album's cancel flag, created on first use; stays valid for the tracker's lifetime.
  std::shared_ptr<std::atomic<bool>> CancelFlag(const std::string& key);
  // Clears the flag (a new job for the album starts).
  void ResetCancel(const std::string& key);
  // Sets the flag and reports status error "Indexing cancelled by user" at once.
  void Cancel(const std::string& key);

  void SetFailedFiles(const std::string& key, std::vector<FailedFile> files);
  std::vector<FailedFile> FailedFiles(const std::string& key) const;

  void SetClockForTesting(std::function<Clock::time_point()> now) { now_ = std::move(now); }

 private:
  struct Entry {
    JobStatus status = JobStatus::kIdle;
    std::string step;
    int64_t processed = 0;
    int64_t total = 0;
    Clock::time_point start;
    std::optional<std::string> error;
    std::optional<std::string> warning;
  };
  Clock::time_point Now() const { return now_ ? now_() : Clock::now(); }

  mutable std::mutex mu_;
  std::map<std::string, Entry> entries_;                              // guarded by mu_
  std::map<std::string, std::vector<std::string>> warnings_;          // guarded by mu_
  std::map<std::string, std::shared_ptr<std::atomic<bool>>> cancel_;  // guarded by mu_
  std::map<std::string, std::vector<FailedFile>> failed_;             // guarded by mu_
  std::function<Clock::time_point()> now_;
};

// "1 file could not be read and was skipped." / "3 files could not be read and were skipped."
std::string UnreadableFilesWarning(size_t count);

}  // namespace photomap::index
