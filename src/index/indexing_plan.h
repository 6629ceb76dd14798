// IndexingPlan: what one indexing run must do, decided from a fresh scan, the published rows and
// the staged checkpoint (backend-spec §3.4, with its path-only diff fixed): files to encode (new,
// or changed in size or mtime), published rows to remove (files gone), checkpoint rows to reuse
// (staged by an earlier, cancelled run for the same file version and encoder) and whether the
// encoder changed (full rebuild). Pure function of its inputs; thread-safe.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "index/index_store.h"
#include "scan/album_walker.h"
#include "scan/dimension_gate.h"

namespace photomap::index {

struct IndexingPlan {
  std::vector<scan::ScanEntry> to_encode;  // in scan (path) order
  std::vector<std::string> remove_paths;   // published rows whose file is gone or now gated
  std::vector<std::string> stale_staged;   // staged rows that must not be published
  size_t reused_staged = 0;                // staged rows published as they are
  size_t changed = 0;                      // of to_encode + reused: files edited since indexing
  size_t gated = 0;                        // candidates the size/dimension gate rejected
  bool rebuild = false;                    // the published encoder differs from the album's
  std::string previous_encoder;            // when rebuild
  bool NothingToDo() const {
    return to_encode.empty() && remove_paths.empty() && reused_staged == 0 && !rebuild;
  }
};

// Builds the plan. `published_encoder` is empty for an index never published. The gate runs on
// files that would otherwise be encoded, so unchanged published files never pay for it.
IndexingPlan PlanIndexing(const std::vector<scan::ScanEntry>& scanned,
                          const std::map<std::string, StoredStamp>& published,
                          const std::map<std::string, StoredStamp>& staged,
                          const std::string& published_encoder, const std::string& encoder_spec,
                          const scan::GateOptions& gate);

}  // namespace photomap::index
