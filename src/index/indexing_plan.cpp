#include "index/indexing_plan.h"

#include <set>

#include "scan/scan_diff.h"

namespace photomap::index {
namespace {

bool SameVersion(const scan::ScanEntry& e, const StoredStamp& s) {
  return static_cast<int64_t>(e.size_bytes) == s.size_bytes && e.mtime == s.mtime;
}

}  // namespace

IndexingPlan PlanIndexing(const std::vector<scan::ScanEntry>& scanned,
                          const std::map<std::string, StoredStamp>& published,
                          const std::map<std::string, StoredStamp>& staged,
                          const std::string& published_encoder, const std::string& encoder_spec,
                          const scan::GateOptions& gate) {
  IndexingPlan plan;
  plan.rebuild = !published_encoder.empty() && published_encoder != encoder_spec;
  plan.previous_encoder = plan.rebuild ? published_encoder : "";

  // Candidates: files not published under this encoder as they are now.
  std::vector<const scan::ScanEntry*> candidates;
  std::set<std::string> scanned_paths;
  for (const auto& e : scanned) {
    scanned_paths.insert(e.path);
    auto it = published.find(e.path);
    const bool current = !plan.rebuild && it != published.end() && SameVersion(e, it->second);
    if (current) continue;
    if (!plan.rebuild && it != published.end()) ++plan.changed;
    candidates.push_back(&e);
  }
  if (!plan.rebuild) {
    for (const auto& [path, stamp] : published) {
      if (!scanned_paths.count(path)) plan.remove_paths.push_back(path);
    }
  }

  std::set<std::string> reusable;
  const bool gate_on = scan::GateActive(gate);
  for (const scan::ScanEntry* e : candidates) {
    auto st = staged.find(e->path);
    if (st != staged.end() && SameVersion(*e, st->second) &&
        st->second.encoder_spec == encoder_spec) {
      reusable.insert(e->path);
      ++plan.reused_staged;
      continue;
    }
    if (gate_on && scan::CheckDimensionGate(*e, gate) != scan::GateVerdict::kPass) {
      ++plan.gated;
      // A published file that was edited down below the gate leaves the index.
      if (!plan.rebuild && published.count(e->path)) plan.remove_paths.push_back(e->path);
      continue;
    }
    plan.to_encode.push_back(*e);
  }
  for (const auto& [path, stamp] : staged) {
    if (!reusable.count(path)) plan.stale_staged.push_back(path);
  }
  return plan;
}

}  // namespace photomap::index
