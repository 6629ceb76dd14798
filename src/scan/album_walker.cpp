#include "scan/album_walker.h"

#include <algorithm>
#include <chrono>
#include <iterator>
#include <optional>
#include <thread>
#include <tuple>
#include <utility>

#include "scan/walk_pool.h"

namespace photomap::scan {
namespace {

constexpr size_t kCancelCheckEvery = 256;
constexpr int kMaxWalkThreads = 64;
// How often the calling thread, while it waits for a directory, looks whether progress is due.
constexpr std::chrono::milliseconds kIdleProgressTick{20};

std::string AsciiLower(std::string s) {
  for (char& c : s) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return s;
}

std::string JoinPath(const std::string& dir, const std::string& name) {
  if (!dir.empty() && dir.back() == '/') return dir + name;
  return dir + "/" + name;
}

int WalkThreads(int requested) {
  if (requested == 0) requested = static_cast<int>(std::thread::hardware_concurrency());
  return std::clamp(requested, 1, kMaxWalkThreads);
}

// A total order on entries, so that the result (and which of two entries for one path survives
// deduplication) does not depend on the order in which the threads found them.
bool EntryLess(const ScanEntry& a, const ScanEntry& b) {
  return std::tie(a.path, a.kind, a.size_bytes, a.mtime_ns) <
         std::tie(b.path, b.kind, b.size_bytes, b.mtime_ns);
}

bool ProblemLess(const WalkProblem& a, const WalkProblem& b) {
  return std::tie(a.path, a.message) < std::tie(b.path, b.message);
}

// What one worker found. Each worker writes only its own shard, so the hot path takes no lock;
// the alignment keeps neighbouring shards' counters off one cache line.
struct alignas(64) Shard {
  WalkResult result;
};

// The state of one WalkAlbumPaths call. Worker 0 is the calling thread; it alone calls
// options.progress.
class Walker {
 public:
  Walker(const WalkOptions& options, int threads)
      : options_(options),
        fs_(options.fs ? options.fs : PosixWalkFileSystem()),
        reports_(options.progress && options.progress_interval > 0),
        pool_(threads),
        shards_(static_cast<size_t>(pool_.threads())) {}
  Walker(const Walker&) = delete;
  Walker& operator=(const Walker&) = delete;

  // Takes one root on the calling thread: a media file is collected, a directory is queued.
  void AddRoot(const std::string& root) {
    Result<FileStat> st = fs_->Stat(root, /*follow_symlinks=*/true);
    if (!st.ok()) {
      if (st.error().kind != ErrorKind::kNotFound) Problem(0, root, st.error().message);
      return;
    }
    Result<std::string> resolved = fs_->RealPath(root);
    if (!resolved.ok()) {
      Problem(0, root, resolved.error().message);
      return;
    }
    if (st->type == FileType::kRegular) {
      if (auto kind = Wanted(*resolved)) Add(0, *resolved, *st, *kind);
    } else if (st->type == FileType::kDirectory) {
      pool_.Push(std::move(*resolved));
    }
  }

  // Walks the queued directories on the pool. Returns Cancelled when options.cancel was seen.
  Result<WalkResult> Run() {
    std::function<void()> caller_idle;
    if (reports_) caller_idle = [this] { ReportIfDue(checked_.load(std::memory_order_relaxed)); };
    pool_.Run([this](int worker, std::string dir) { VisitDirectory(worker, dir); }, caller_idle,
              kIdleProgressTick);
    if (pool_.stopped()) return photomap::Cancelled("file scan cancelled");
    return Finish();
  }

 private:
  // Merges the shards into one result, sorted and deduplicated the same way for any thread count.
  WalkResult Finish() {
    WalkResult out = std::move(shards_[0].result);
    for (size_t i = 1; i < shards_.size(); ++i) {
      WalkResult& r = shards_[i].result;
      std::move(r.entries.begin(), r.entries.end(), std::back_inserter(out.entries));
      std::move(r.problems.begin(), r.problems.end(), std::back_inserter(out.problems));
      out.files_checked += r.files_checked;
    }
    auto& v = out.entries;
    std::sort(v.begin(), v.end(), EntryLess);
    v.erase(std::unique(v.begin(), v.end(),
                        [](const ScanEntry& a, const ScanEntry& b) { return a.path == b.path; }),
            v.end());
    std::sort(out.problems.begin(), out.problems.end(), ProblemLess);
    if (options_.progress) options_.progress(out.files_checked, v.size());
    return out;
  }

  void VisitDirectory(int worker, const std::string& dir) {
    if (IsCancelled()) {
      pool_.Stop();
      return;
    }
    Result<std::vector<DirEntry>> listing = fs_->ListDirectory(dir);
    if (!listing.ok()) {
      Problem(worker, dir, listing.error().message);
      return;
    }
    size_t n = 0;
    for (DirEntry& e : *listing) {
      if (++n % kCancelCheckEvery == 0 && IsCancelled()) {
        pool_.Stop();
        return;
      }
      std::string path = JoinPath(dir, e.name);
      FileType type = e.type;
      if (type == FileType::kUnknown) {
        Result<FileStat> st = fs_->Stat(path, /*follow_symlinks=*/false);
        if (!st.ok()) continue;  // vanished between readdir and stat
        type = st->type;
      }
      if (type == FileType::kDirectory) {
        if (!IsPrunedDirectoryName(e.name)) pool_.Push(std::move(path));
        continue;
      }
      CountChecked(worker);
      auto kind = Wanted(e.name);
      if (!kind) continue;
      if (type == FileType::kRegular) {
        Result<FileStat> st = fs_->Stat(path, /*follow_symlinks=*/false);
        if (st.ok() && st->type == FileType::kRegular) Add(worker, path, *st, *kind);
      } else if (type == FileType::kSymlink) {
        AddSymlink(worker, path, *kind);
      }
    }
  }

  // A symlinked file counts at its target, like PhotoMapAI's Path.resolve(); a link to a
  // directory is neither descended nor collected.
  void AddSymlink(int worker, const std::string& path, MediaKind kind) {
    Result<FileStat> st = fs_->Stat(path, /*follow_symlinks=*/true);
    if (!st.ok()) {
      Problem(worker, path, "broken symlink: " + st.error().message);
      return;
    }
    if (st->type != FileType::kRegular) return;
    Result<std::string> target = fs_->RealPath(path);
    if (!target.ok()) {
      Problem(worker, path, target.error().message);
      return;
    }
    Add(worker, *target, *st, kind);
  }

  std::optional<MediaKind> Wanted(const std::string& name) const {
    std::optional<MediaKind> kind = ClassifyMediaPath(name);
    if (!kind) return std::nullopt;
    if (*kind == MediaKind::kImage && !options_.include_images) return std::nullopt;
    if (*kind == MediaKind::kVideo && !options_.include_videos) return std::nullopt;
    return kind;
  }

  void Add(int worker, std::string path, const FileStat& st, MediaKind kind) {
    ScanEntry e;
    e.path = std::move(path);
    e.size_bytes = st.size_bytes;
    e.mtime = static_cast<double>(st.mtime_sec) + static_cast<double>(st.mtime_nsec) * 1e-9;
    e.mtime_ns = st.mtime_sec * 1000000000LL + st.mtime_nsec;
    e.kind = kind;
    shards_[static_cast<size_t>(worker)].result.entries.push_back(std::move(e));
    if (reports_) found_.fetch_add(1, std::memory_order_relaxed);
  }

  void CountChecked(int worker) {
    ++shards_[static_cast<size_t>(worker)].result.files_checked;
    if (!reports_) return;
    size_t total = checked_.fetch_add(1, std::memory_order_relaxed) + 1;
    if (worker == 0) ReportIfDue(total);
  }

  // Calling thread only. With one thread every multiple of progress_interval is reported
  // exactly; with more, the count may have passed it by the time the calling thread looks.
  void ReportIfDue(size_t checked) {
    if (checked < next_report_) return;
    options_.progress(checked, found_.load(std::memory_order_relaxed));
    next_report_ = (checked / options_.progress_interval + 1) * options_.progress_interval;
  }

  void Problem(int worker, const std::string& path, const std::string& message) {
    shards_[static_cast<size_t>(worker)].result.problems.push_back(WalkProblem{path, message});
  }

  bool IsCancelled() const {
    return pool_.stopped() ||
           (options_.cancel != nullptr && options_.cancel->load(std::memory_order_relaxed));
  }

  const WalkOptions& options_;
  WalkFileSystem* fs_;
  const bool reports_;  // a progress callback is set; else the shared counters are not kept
  WalkPool pool_;
  std::vector<Shard> shards_;  // one per worker
  // Totals over all workers, kept only for progress reports (the result sums the shards).
  alignas(64) std::atomic<size_t> checked_{0};
  alignas(64) std::atomic<size_t> found_{0};
  size_t next_report_ = options_.progress_interval;  // calling thread only
};

}  // namespace

bool IsPrunedDirectoryName(const std::string& name) {
  if (!name.empty() && name[0] == '.') return true;
  std::string lower = AsciiLower(name);
  return lower == "photomap_index" || lower == "@eadir" || lower == "__macosx";
}

Result<WalkResult> WalkAlbumPaths(const std::vector<std::string>& roots,
                                  const WalkOptions& options) {
  Walker walker(options, WalkThreads(options.threads));
  for (const std::string& root : roots) {
    if (!root.empty()) walker.AddRoot(root);
  }
  return walker.Run();
}

}  // namespace photomap::scan
