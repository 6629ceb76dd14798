#include "index/progress_tracker.h"

#include <algorithm>

namespace photomap::index {

const char* JobStatusName(JobStatus status) {
  switch (status) {
    case JobStatus::kIdle:
      return "idle";
    case JobStatus::kScanning:
      return "scanning";
    case JobStatus::kDownloading:
      return "downloading";
    case JobStatus::kIndexing:
      return "indexing";
    case JobStatus::kMapping:
      return "mapping";
    case JobStatus::kCompleted:
      return "completed";
    case JobStatus::kError:
      return "error";
  }
  return "idle";
}

bool IsRunning(JobStatus status) {
  return status == JobStatus::kScanning || status == JobStatus::kDownloading ||
         status == JobStatus::kIndexing || status == JobStatus::kMapping;
}

std::string UnreadableFilesWarning(size_t count) {
  return std::to_string(count) + (count == 1 ? " file could not be read and was skipped."
                                             : " files could not be read and were skipped.");
}

void ProgressTracker::Start(const std::string& key, JobStatus status, int64_t total,
                            const std::string& step) {
  std::lock_guard lock(mu_);
  Entry& e = entries_[key];
  e = Entry{};
  e.status = status;
  e.step = step;
  e.total = total;
  e.start = Now();
}

void ProgressTracker::Update(const std::string& key, int64_t processed, const std::string& step) {
  std::lock_guard lock(mu_);
  auto it = entries_.find(key);
  if (it == entries_.end() || it->second.status == JobStatus::kError) return;
  it->second.processed = processed;
  it->second.step = step;
}

void ProgressTracker::SetStep(const std::string& key, const std::string& step) {
  std::lock_guard lock(mu_);
  auto it = entries_.find(key);
  if (it == entries_.end() || it->second.status == JobStatus::kError) return;
  it->second.step = step;
}

void ProgressTracker::SetError(const std::string& key, const std::string& message) {
  std::lock_guard lock(mu_);
  auto [it, inserted] = entries_.try_emplace(key);
  if (inserted) it->second.start = Now();
  it->second.status = JobStatus::kError;
  it->second.error = message;
}

void ProgressTracker::Complete(const std::string& key, const std::string& message) {
  std::lock_guard lock(mu_);
  auto [it, inserted] = entries_.try_emplace(key);
  if (inserted) it->second.start = Now();
  Entry& e = it->second;
  e.status = JobStatus::kCompleted;
  e.step = message;
  e.processed = e.total;
  e.warning.reset();
  auto w = warnings_.find(key);
  if (w != warnings_.end() && !w->second.empty()) {
    std::string joined;
    for (const auto& text : w->second) joined += (joined.empty() ? "" : " ") + text;
    e.warning = joined;
  }
  warnings_.erase(key);
}

void ProgressTracker::AddWarning(const std::string& key, const std::string& warning) {
  std::lock_guard lock(mu_);
  auto& list = warnings_[key];
  for (const auto& w : list) {
    if (w == warning) return;
  }
  list.push_back(warning);
}

ProgressView ProgressTracker::Get(const std::string& key) const {
  std::lock_guard lock(mu_);
  ProgressView v;
  v.album_key = key;
  auto it = entries_.find(key);
  if (it == entries_.end()) return v;
  const Entry& e = it->second;
  v.status = e.status;
  v.current_step = e.step;
  v.images_processed = e.processed;
  v.total_images = e.total;
  v.progress_percentage =
      e.total > 0 ? static_cast<double>(e.processed) / static_cast<double>(e.total) * 100.0 : 0.0;
  v.elapsed_time = std::chrono::duration<double>(Now() - e.start).count();
  // The ETA is the observed rate extrapolated; null until there is a rate to extrapolate.
  if (e.processed > 0 && v.elapsed_time > 0 && IsRunning(e.status)) {
    const double rate = static_cast<double>(e.processed) / v.elapsed_time;
    v.estimated_time_remaining =
        static_cast<double>(std::max<int64_t>(0, e.total - e.processed)) / rate;
  }
  v.error_message = e.error;
  v.warning_message = e.warning;
  return v;
}

bool ProgressTracker::Running(const std::string& key) const {
  std::lock_guard lock(mu_);
  auto it = entries_.find(key);
  return it != entries_.end() && IsRunning(it->second.status);
}

std::shared_ptr<std::atomic<bool>> ProgressTracker::CancelFlag(const std::string& key) {
  std::lock_guard lock(mu_);
  auto& flag = cancel_[key];
  if (!flag) flag = std::make_shared<std::atomic<bool>>(false);
  return flag;
}

void ProgressTracker::ResetCancel(const std::string& key) { CancelFlag(key)->store(false); }

void ProgressTracker::Cancel(const std::string& key) {
  CancelFlag(key)->store(true);
  SetError(key, "Indexing cancelled by user");
}

void ProgressTracker::SetFailedFiles(const std::string& key, std::vector<FailedFile> files) {
  std::lock_guard lock(mu_);
  failed_[key] = std::move(files);
}

std::vector<FailedFile> ProgressTracker::FailedFiles(const std::string& key) const {
  std::lock_guard lock(mu_);
  auto it = failed_.find(key);
  return it == failed_.end() ? std::vector<FailedFile>{} : it->second;
}

}  // namespace photomap::index
