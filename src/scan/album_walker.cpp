#include "scan/album_walker.h"

#include <algorithm>
#include <optional>
#include <utility>

namespace photomap::scan {
namespace {

constexpr size_t kCancelCheckEvery = 256;

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

// The state of one WalkAlbumPaths call.
class Walker {
 public:
  explicit Walker(const WalkOptions& options)
      : options_(options), fs_(options.fs ? options.fs : PosixWalkFileSystem()) {}

  Status WalkRoot(const std::string& root) {
    Result<FileStat> st = fs_->Stat(root, /*follow_symlinks=*/true);
    if (!st.ok()) {
      if (st.error().kind != ErrorKind::kNotFound) Problem(root, st.error().message);
      return Status::Ok();
    }
    Result<std::string> resolved = fs_->RealPath(root);
    if (!resolved.ok()) {
      Problem(root, resolved.error().message);
      return Status::Ok();
    }
    if (st->type == FileType::kRegular) {
      if (auto kind = Wanted(*resolved)) Add(*resolved, *st, *kind);
      return Status::Ok();
    }
    if (st->type != FileType::kDirectory) return Status::Ok();
    std::vector<std::string> stack = {*resolved};
    while (!stack.empty()) {
      if (IsCancelled()) return photomap::Cancelled("file scan cancelled");
      std::string dir = std::move(stack.back());
      stack.pop_back();
      PHOTOMAP_RETURN_IF_ERROR(WalkDirectory(dir, &stack));
    }
    return Status::Ok();
  }

  WalkResult Finish() {
    auto& v = result_.entries;
    std::sort(v.begin(), v.end(),
              [](const ScanEntry& a, const ScanEntry& b) { return a.path < b.path; });
    v.erase(std::unique(v.begin(), v.end(),
                        [](const ScanEntry& a, const ScanEntry& b) { return a.path == b.path; }),
            v.end());
    if (options_.progress) options_.progress(result_.files_checked, v.size());
    return std::move(result_);
  }

 private:
  Status WalkDirectory(const std::string& dir, std::vector<std::string>* stack) {
    Result<std::vector<DirEntry>> listing = fs_->ListDirectory(dir);
    if (!listing.ok()) {
      Problem(dir, listing.error().message);
      return Status::Ok();
    }
    size_t n = 0;
    for (DirEntry& e : *listing) {
      if (++n % kCancelCheckEvery == 0 && IsCancelled()) {
        return photomap::Cancelled("file scan cancelled");
      }
      std::string path = JoinPath(dir, e.name);
      FileType type = e.type;
      if (type == FileType::kUnknown) {
        Result<FileStat> st = fs_->Stat(path, /*follow_symlinks=*/false);
        if (!st.ok()) continue;  // vanished between readdir and stat
        type = st->type;
      }
      if (type == FileType::kDirectory) {
        if (!IsPrunedDirectoryName(e.name)) stack->push_back(std::move(path));
        continue;
      }
      CountChecked();
      auto kind = Wanted(e.name);
      if (!kind) continue;
      if (type == FileType::kRegular) {
        Result<FileStat> st = fs_->Stat(path, /*follow_symlinks=*/false);
        if (st.ok() && st->type == FileType::kRegular) Add(path, *st, *kind);
      } else if (type == FileType::kSymlink) {
        AddSymlink(path, *kind);
      }
    }
    return Status::Ok();
  }

  // A symlinked file counts at its target, like PhotoMapAI's Path.resolve(); a link to a
  // directory is neither descended nor collected.
  void AddSymlink(const std::string& path, MediaKind kind) {
    Result<FileStat> st = fs_->Stat(path, /*follow_symlinks=*/true);
    if (!st.ok()) {
      Problem(path, "broken symlink: " + st.error().message);
      return;
    }
    if (st->type != FileType::kRegular) return;
    Result<std::string> target = fs_->RealPath(path);
    if (!target.ok()) {
      Problem(path, target.error().message);
      return;
    }
    Add(*target, *st, kind);
  }

  std::optional<MediaKind> Wanted(const std::string& name) const {
    std::optional<MediaKind> kind = ClassifyMediaPath(name);
    if (!kind) return std::nullopt;
    if (*kind == MediaKind::kImage && !options_.include_images) return std::nullopt;
    if (*kind == MediaKind::kVideo && !options_.include_videos) return std::nullopt;
    return kind;
  }

  void Add(std::string path, const FileStat& st, MediaKind kind) {
    ScanEntry e;
    e.path = std::move(path);
    e.size_bytes = st.size_bytes;
    e.mtime = static_cast<double>(st.mtime_sec) + static_cast<double>(st.mtime_nsec) * 1e-9;
    e.mtime_ns = st.mtime_sec * 1000000000LL + st.mtime_nsec;
    e.kind = kind;
    result_.entries.push_back(std::move(e));
  }

  void CountChecked() {
    ++result_.files_checked;
    if (options_.progress && options_.progress_interval > 0 &&
        result_.files_checked % options_.progress_interval == 0) {
      options_.progress(result_.files_checked, result_.entries.size());
    }
  }

  void Problem(const std::string& path, const std::string& message) {
    result_.problems.push_back(WalkProblem{path, message});
  }

  bool IsCancelled() const {
    return options_.cancel != nullptr && options_.cancel->load(std::memory_order_relaxed);
  }

  const WalkOptions& options_;
  WalkFileSystem* fs_;
  WalkResult result_;
};

}  // namespace

bool IsPrunedDirectoryName(const std::string& name) {
  if (!name.empty() && name[0] == '.') return true;
  std::string lower = AsciiLower(name);
  return lower == "photomap_index" || lower == "@eadir" || lower == "__macosx";
}

Result<WalkResult> WalkAlbumPaths(const std::vector<std::string>& roots,
                                  const WalkOptions& options) {
  Walker walker(options);
  for (const std::string& root : roots) {
    if (root.empty()) continue;
    PHOTOMAP_RETURN_IF_ERROR(walker.WalkRoot(root));
  }
  return walker.Finish();
}

}  // namespace photomap::scan
