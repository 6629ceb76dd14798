// JobQueue: runs indexing jobs one at a time on a background thread; further albums wait in
// FIFO order and their progress says so. One album is never queued twice.
//
// Thread-safe. The destructor cancels the running job and discards queued ones, then joins.
#pragma once

#include <condition_variable>
#include <deque>
#include <mutex>
#include <string>
#include <thread>

#include "config/album.h"
#include "index/encoder_provider.h"
#include "index/indexing_job.h"
#include "index/progress_tracker.h"
#include "util/status.h"

namespace photomap::index {

class JobQueue {
 public:
  JobQueue(EncoderProvider& encoders, ProgressTracker& tracker, IndexingOptions options = {});
  ~JobQueue();
  JobQueue(const JobQueue&) = delete;
  JobQueue& operator=(const JobQueue&) = delete;

  // Queues a job for `album`; its progress reads `scanning` at once. Errors: Busy "Index update
  // already running for album '<k>'" when the album is running or queued.
  Status Submit(const config::Album& album);

  // Cancels the album's running or queued job: the flag is set and progress reads error /
  // "Indexing cancelled by user" at once. Errors: NotFound "No active operation for album
  // '<k>'" when nothing runs for it.
  Status Cancel(const std::string& album_key);

  // True while the album has a running or queued job.
  bool Active(const std::string& album_key);

  // Blocks until no job is running or queued (tests, CLI).
  void WaitIdle();

 private:
  void Loop();
  void RunOne(const config::Album& album);

  EncoderProvider& encoders_;
  ProgressTracker& tracker_;
  const IndexingOptions options_;
  std::mutex mu_;
  std::condition_variable cv_;
  std::deque<config::Album> queue_;  // guarded by mu_
  std::string running_;              // key of the running job, guarded by mu_
  bool shutdown_ = false;            // guarded by mu_
  std::thread thread_;
};

// The completion message of a finished run (backend-spec §4.8, with the update count fixed to
// count the images this run added).
std::string CompletionMessage(const IndexingSummary& summary);

}  // namespace photomap::index
