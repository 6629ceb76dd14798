// JobQueue: runs indexing jobs one at a time on a background thread; further albums wait in
// FIFO order and their progress says so. One album is never queued twice.
//
// After a successful run an optional mapping step (the semantic map: layout, Cluster Strength,
// label vocabulary) runs with status `mapping`; it is cancellable like the other phases, and when
// it fails the published index stands and the completion carries a warning.
//
// Thread-safe. The destructor cancels the running job and discards queued ones, then joins.
#pragma once

#include <condition_variable>
#include <deque>
#include <functional>
#include <mutex>
#include <string>
#include <thread>

#include "config/album.h"
#include "index/encoder_provider.h"
#include "index/indexing_job.h"
#include "index/progress_tracker.h"
#include "util/status.h"

namespace photomap::index {

// The mapping step: `progress` takes the done fraction in [0, 1] and returns false once the job is
// cancelled (the step should then return Cancelled).
using MappingStep =
    std::function<Status(const config::Album& album, const std::function<bool(double)>& progress)>;

class JobQueue {
 public:
  JobQueue(EncoderProvider& encoders, ProgressTracker& tracker, IndexingOptions options = {},
           MappingStep mapping = {});
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
  const MappingStep mapping_;
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

// Runs `mapping` for `album` with status `mapping`, progress counted out of `total_images` (the
// album's image count, as PhotoMapAI reports it), honouring the album's cancel flag. Returns the
// step's result (shared by the queue and `photomap index`).
Status RunMappingPhase(const MappingStep& mapping, const config::Album& album, int64_t total_images,
                       ProgressTracker& tracker);

}  // namespace photomap::index
