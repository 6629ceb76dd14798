// RunIndexingJob: one album's indexing run (backend-spec §4), start to publish:
//   scan (cancellable walk) → plan (new / changed / missing, checkpoint reuse, encoder change)
//   → decode pool (threads, bounded queue) → batched encoder → Stage() per batch → Publish().
// The published index changes only in the final Publish() transaction, so a cancel, an error or
// a kill leaves it as it was while every encoded batch stays staged for the next run.
// Progress goes to the ProgressTracker in PhotoMapAI's terms. Runs on the calling thread (plus
// its decode workers); one run per album at a time (JobQueue ensures it).
#pragma once

#include <atomic>
#include <string>

#include "config/album.h"
#include "index/encoder_provider.h"
#include "index/progress_tracker.h"
#include "util/status.h"

namespace photomap::index {

struct IndexingOptions {
  // Decode workers; 0 = one per online core. More overlap decode with the encoder's GEMMs.
  int decode_threads = 0;
  // Images per encoder call and per staging transaction; also the cancel granularity of the
  // encoder phase (one batch), so keep it small on slow CPUs.
  int batch_size = 8;
  // Decoded images waiting for the encoder, bounding memory (each is 3 x 224 x 224 floats).
  size_t queue_capacity = 16;
};

struct IndexingSummary {
  size_t scanned = 0;      // candidate files found
  size_t encoded = 0;      // files encoded by this run
  size_t reused = 0;       // staged rows of an earlier run published without re-encoding
  size_t removed = 0;      // published rows dropped (files gone)
  size_t changed = 0;      // files re-encoded because their size or mtime changed
  size_t unreadable = 0;   // files skipped because they could not be decoded
  bool rebuilt = false;    // the encoder changed
  bool published = false;  // false when nothing changed
};

// Runs the job for `album`. `cancel` is polled in every phase; when set the run stops with
// Cancelled within about one encoder batch, leaving the published index untouched.
// Errors: NotFound "No image files found in album directory(ies)"; the encoder provider's
// errors (e.g. model not installed); the store's Io/Corrupt; Cancelled.
Result<IndexingSummary> RunIndexingJob(const config::Album& album, EncoderProvider& encoders,
                                       ProgressTracker& tracker, const std::atomic<bool>& cancel,
                                       const IndexingOptions& options = {});

}  // namespace photomap::index
