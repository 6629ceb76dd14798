#include "scan/album_walker.h"

#include <dirent.h>
#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <set>
#include <thread>

#include "scan/temp_tree.h"

namespace photomap::scan {
namespace {

using testing::TempTree;

std::vector<std::string> Relative(const WalkResult& r, const std::filesystem::path& root) {
  std::string base = std::filesystem::canonical(root).string() + "/";
  std::vector<std::string> out;
  for (const ScanEntry& e : r.entries) {
    out.push_back(e.path.rfind(base, 0) == 0 ? e.path.substr(base.size()) : e.path);
  }
  return out;
}

TEST(AlbumWalkerTest, PrunesHiddenAndSpecialDirectoriesButNotHiddenFiles) {
  TempTree t;
  t.File("a.jpg");
  t.File("sub/b.PNG");
  t.File("sub/deeper/c.mp4");
  t.File(".hidden_file.jpg");
  t.File("notes.txt");
  t.File(".git/x.jpg");
  t.File("photomap_index/thumbnails/t.png");
  t.File("PhotoMap_Index/y.jpg");
  t.File("@eaDir/z.jpg");
  t.File("@EADIR/z2.jpg");
  t.File("__MACOSX/m.jpg");
  t.File("__macosx/m2.jpg");
  t.File("sub/.cache/n.jpg");
  t.File("sub/eadir/kept.jpg");
  Result<WalkResult> r = WalkAlbumPaths({t.root().string()});
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(Relative(*r, t.root()),
            (std::vector<std::string>{".hidden_file.jpg", "a.jpg", "sub/b.PNG", "sub/deeper/c.mp4",
                                      "sub/eadir/kept.jpg"}));
  EXPECT_EQ(r->entries[3].kind, MediaKind::kVideo);
  EXPECT_EQ(r->entries[0].kind, MediaKind::kImage);
  EXPECT_TRUE(r->problems.empty());
}

TEST(AlbumWalkerTest, HiddenRootIsWalked) {
  TempTree t;
  t.File(".album/a.jpg");
  Result<WalkResult> r = WalkAlbumPaths({(t.root() / ".album").string()});
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->entries.size(), 1u);
}

TEST(AlbumWalkerTest, StatsSizeAndNanosecondMtime) {
  TempTree t;
  auto p = t.File("a.jpg", 1234);
  struct timespec times[2] = {{1600000000, 123456789}, {1600000000, 123456789}};
  ASSERT_EQ(utimensat(AT_FDCWD, p.c_str(), times, 0), 0);
  Result<WalkResult> r = WalkAlbumPaths({t.root().string()});
  ASSERT_TRUE(r.ok());
  ASSERT_EQ(r->entries.size(), 1u);
  EXPECT_EQ(r->entries[0].size_bytes, 1234u);
  EXPECT_EQ(r->entries[0].mtime_ns, 1600000000123456789LL);
  EXPECT_DOUBLE_EQ(r->entries[0].mtime, 1600000000.0 + 123456789 * 1e-9);
  EXPECT_EQ(r->entries[0].path, std::filesystem::canonical(p).string());
}

TEST(AlbumWalkerTest, SymlinkedDirectoriesAreNotDescendedSymlinkedFilesResolve) {
  TempTree outside, t;
  auto target = outside.File("real/target.jpg", 10);
  outside.File("real/other.jpg");
  t.File("album/own.jpg");
  t.Link(outside.root() / "real", "album/linked_dir");
  t.Link(target, "album/link.jpg");
  t.Link(outside.root() / "real", "album/dir_named.jpg");  // a link to a dir with a photo name
  t.Link(outside.root() / "missing.jpg", "album/broken.jpg");
  Result<WalkResult> r = WalkAlbumPaths({(t.root() / "album").string()});
  ASSERT_TRUE(r.ok());
  std::vector<std::string> paths;
  for (auto& e : r->entries) paths.push_back(e.path);
  std::string own = std::filesystem::canonical(t.root() / "album/own.jpg").string();
  std::string tgt = std::filesystem::canonical(target).string();
  std::sort(paths.begin(), paths.end());
  std::vector<std::string> want = {own, tgt};
  std::sort(want.begin(), want.end());
  EXPECT_EQ(paths, want);
  ASSERT_EQ(r->problems.size(), 1u);
  EXPECT_NE(r->problems[0].message.find("broken symlink"), std::string::npos);
}

TEST(AlbumWalkerTest, FileRootsMissingRootsAndOverlappingRoots) {
  TempTree t;
  auto a = t.File("x/a.jpg");
  t.File("x/y/b.jpg");
  t.File("x/c.txt");
  Result<WalkResult> r =
      WalkAlbumPaths({(t.root() / "x").string(), (t.root() / "x/y").string(), a.string(),
                      (t.root() / "x/c.txt").string(), (t.root() / "nope").string(), ""});
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(Relative(*r, t.root()), (std::vector<std::string>{"x/a.jpg", "x/y/b.jpg"}));
  EXPECT_TRUE(r->problems.empty());
}

TEST(AlbumWalkerTest, ImageAndVideoFilters) {
  TempTree t;
  t.File("a.jpg");
  t.File("b.mov");
  WalkOptions o;
  o.include_videos = false;
  EXPECT_EQ(WalkAlbumPaths({t.root().string()}, o)->entries.size(), 1u);
  o.include_videos = true;
  o.include_images = false;
  auto r = WalkAlbumPaths({t.root().string()}, o);
  ASSERT_EQ(r->entries.size(), 1u);
  EXPECT_EQ(r->entries[0].kind, MediaKind::kVideo);
}

// Fails ListDirectory for one directory, to prove an unreadable directory is reported and
// skipped (tests run as root, so chmod 000 would not stop them).
class FailingFs final : public WalkFileSystem {
 public:
  explicit FailingFs(std::string bad) : bad_(std::move(bad)) {}
  Result<std::vector<DirEntry>> ListDirectory(const std::string& dir) override {
    if (dir == bad_) return IoError("cannot open directory " + dir + ": Permission denied");
    return PosixWalkFileSystem()->ListDirectory(dir);
  }
  Result<FileStat> Stat(const std::string& p, bool f) override {
    return PosixWalkFileSystem()->Stat(p, f);
  }
  Result<std::string> RealPath(const std::string& p) override {
    return PosixWalkFileSystem()->RealPath(p);
  }

 private:
  std::string bad_;
};

TEST(AlbumWalkerTest, UnreadableDirectoryIsSkippedAndReported) {
  TempTree t;
  t.File("ok/a.jpg");
  t.File("locked/b.jpg");
  std::string locked = std::filesystem::canonical(t.root() / "locked").string();
  FailingFs fs(locked);
  WalkOptions o;
  o.fs = &fs;
  Result<WalkResult> r = WalkAlbumPaths({t.root().string()}, o);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(Relative(*r, t.root()), (std::vector<std::string>{"ok/a.jpg"}));
  ASSERT_EQ(r->problems.size(), 1u);
  EXPECT_EQ(r->problems[0].path, locked);
}

TEST(AlbumWalkerTest, CancellationStopsTheWalk) {
  TempTree t;
  for (int i = 0; i < 600; ++i)
    t.File("d" + std::to_string(i % 7) + "/f" + std::to_string(i) + ".jpg");
  std::atomic<bool> cancel{false};
  WalkOptions o;
  o.cancel = &cancel;
  o.progress_interval = 100;
  size_t calls = 0;
  o.progress = [&](size_t checked, size_t) {
    ++calls;
    if (checked >= 100) cancel = true;
  };
  Result<WalkResult> r = WalkAlbumPaths({t.root().string()}, o);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().kind, ErrorKind::kCancelled);
  EXPECT_GE(calls, 1u);

  cancel = false;
  o.progress = nullptr;
  Result<WalkResult> full = WalkAlbumPaths({t.root().string()}, o);
  ASSERT_TRUE(full.ok());
  EXPECT_EQ(full->entries.size(), 600u);
  EXPECT_EQ(full->files_checked, 600u);
}

TEST(AlbumWalkerTest, ProgressReportsEveryHundredFilesChecked) {
  TempTree t;
  for (int i = 0; i < 250; ++i) t.File("f" + std::to_string(i) + (i % 2 ? ".jpg" : ".txt"));
  std::vector<std::pair<size_t, size_t>> calls;
  WalkOptions o;
  o.progress = [&](size_t c, size_t f) { calls.emplace_back(c, f); };
  ASSERT_TRUE(WalkAlbumPaths({t.root().string()}, o).ok());
  ASSERT_EQ(calls.size(), 3u);  // at 100, 200, and the final call
  EXPECT_EQ(calls[0].first, 100u);
  EXPECT_EQ(calls[2], (std::pair<size_t, size_t>{250, 125}));
}

TEST(AlbumWalkerTest, PrunedNames) {
  EXPECT_TRUE(IsPrunedDirectoryName(".thumbs"));
  EXPECT_TRUE(IsPrunedDirectoryName("@EaDir"));
  EXPECT_TRUE(IsPrunedDirectoryName("PHOTOMAP_INDEX"));
  EXPECT_FALSE(IsPrunedDirectoryName("photos"));
  EXPECT_FALSE(IsPrunedDirectoryName("eaDir"));
}

}  // namespace
}  // namespace photomap::scan

namespace photomap::scan {
namespace {

// Counts the filesystem calls of a walk, to prove the cost model: one stat per candidate, none
// for other files, one listing per directory. Atomic counters: multi-thread walks share it.
class CountingFs final : public WalkFileSystem {
 public:
  Result<std::vector<DirEntry>> ListDirectory(const std::string& dir) override {
    ++lists;
    return PosixWalkFileSystem()->ListDirectory(dir);
  }
  Result<FileStat> Stat(const std::string& p, bool f) override {
    ++stats;
    return PosixWalkFileSystem()->Stat(p, f);
  }
  Result<std::string> RealPath(const std::string& p) override {
    ++realpaths;
    return PosixWalkFileSystem()->RealPath(p);
  }
  std::atomic<int> lists{0}, stats{0}, realpaths{0};
};

TEST(AlbumWalkerTest, OneStatPerCandidateAndNoneForOtherFiles) {
  TempTree t;
  for (int i = 0; i < 30; ++i)
    t.File("d" + std::to_string(i % 3) + "/p" + std::to_string(i) + ".jpg");
  for (int i = 0; i < 50; ++i)
    t.File("d" + std::to_string(i % 3) + "/n" + std::to_string(i) + ".xmp");
  t.File(".hidden/skip.jpg");
  for (int threads : {1, 4}) {
    SCOPED_TRACE("threads=" + std::to_string(threads));
    CountingFs fs;
    WalkOptions o;
    o.fs = &fs;
    o.threads = threads;
    Result<WalkResult> r = WalkAlbumPaths({t.root().string()}, o);
    ASSERT_TRUE(r.ok());
    EXPECT_EQ(r->entries.size(), 30u);
    EXPECT_EQ(r->files_checked, 80u);
    EXPECT_EQ(fs.stats.load(), 30 + 1);  // the candidates, plus the root
    EXPECT_EQ(fs.lists.load(), 1 + 3);   // root and d0..d2; .hidden is pruned unread
    EXPECT_EQ(fs.realpaths.load(), 1);   // the root only
  }
}

}  // namespace
}  // namespace photomap::scan

// Multi-thread walks: the same result as one thread, cancellation, progress on the caller.
namespace photomap::scan {
namespace {

void ExpectSameResult(const WalkResult& want, const WalkResult& got) {
  ASSERT_EQ(got.entries.size(), want.entries.size());
  for (size_t i = 0; i < want.entries.size(); ++i) {
    SCOPED_TRACE(want.entries[i].path);
    EXPECT_EQ(got.entries[i].path, want.entries[i].path);
    EXPECT_EQ(got.entries[i].size_bytes, want.entries[i].size_bytes);
    EXPECT_EQ(got.entries[i].mtime_ns, want.entries[i].mtime_ns);
    EXPECT_EQ(got.entries[i].mtime, want.entries[i].mtime);
    EXPECT_EQ(got.entries[i].kind, want.entries[i].kind);
  }
  ASSERT_EQ(got.problems.size(), want.problems.size());
  for (size_t i = 0; i < want.problems.size(); ++i) {
    EXPECT_EQ(got.problems[i].path, want.problems[i].path);
    EXPECT_EQ(got.problems[i].message, want.problems[i].message);
  }
  EXPECT_EQ(got.files_checked, want.files_checked);
}

// chmod 000 on a directory, undone on destruction so that TempTree can remove it. Root ignores
// the mode, so enforced() says whether the directory really became unreadable.
class LockedDir {
 public:
  explicit LockedDir(std::filesystem::path dir) : dir_(std::move(dir)) {
    chmod(dir_.c_str(), 0);
    DIR* d = opendir(dir_.c_str());
    enforced_ = d == nullptr;
    if (d != nullptr) closedir(d);
  }
  ~LockedDir() { chmod(dir_.c_str(), 0755); }
  LockedDir(const LockedDir&) = delete;
  LockedDir& operator=(const LockedDir&) = delete;
  bool enforced() const { return enforced_; }

 private:
  std::filesystem::path dir_;
  bool enforced_ = false;
};

// Nested folders with mixed suffixes, pruned folders, symlinked folders and files (one a
// duplicate of a file inside the album, one a .mp4 name for a .jpg), broken symlinks, an
// unreadable folder, and roots that overlap.
TEST(AlbumWalkerThreadsTest, EveryThreadCountGivesTheOneThreadResult) {
  TempTree outside, t;
  outside.File("real/o1.jpg", 5);
  outside.File("real/o2.png", 6);
  auto out_target = outside.File("target.jpg", 7);
  const char* suffixes[] = {".jpg", ".JPG",  ".png",  ".mp4", ".mov", ".txt",
                            ".xmp", ".jpeg", ".heic", ".cr2", "",     ".Mp4"};
  for (int y = 0; y < 4; ++y) {
    for (int d = 0; d < 6; ++d) {
      for (int f = 0; f < 12; ++f) {
        t.File("album/y" + std::to_string(y) + "/d" + std::to_string(d) + "/f" + std::to_string(f) +
                   suffixes[f],
               static_cast<size_t>(f + 1));
      }
    }
  }
  t.File("album/top.jpg");
  t.File("album/y0/d0/deep/deeper/deepest/x.jpg");
  t.File("album/.git/x.jpg");
  t.File("album/y1/photomap_index/t.png");
  t.File("album/y2/@eaDir/z.jpg");
  t.File("album/__MACOSX/m.jpg");
  t.File("album/y3/.cache/n.jpg");
  t.File("album/y3/locked/secret.jpg");
  t.Link(outside.root() / "real", "album/y0/linked_out");
  t.Link(t.root() / "album/y2", "album/y1/linked_in");
  t.Link(outside.root() / "real", "album/y3/dir_named.jpg");
  t.Link(out_target, "album/y0/link_out.jpg");
  t.Link(t.root() / "album/y0/d0/f0.jpg", "album/y1/link_in.jpg");  // a duplicate
  t.Link(t.root() / "album/y0/d1/f0.jpg", "album/y1/clip.mp4");     // same path, other kind
  t.Link(outside.root() / "missing.jpg", "album/y2/broken.jpg");
  t.Link(outside.root() / "gone.png", "album/y1/broken.png");  // y1 is walked twice
  LockedDir locked(t.root() / "album/y3/locked");
  std::string locked_path = std::filesystem::canonical(t.root() / "album/y3/locked").string();
  FailingFs failing(locked_path);
  WalkOptions o;
  if (!locked.enforced()) o.fs = &failing;  // running as root: inject the refusal instead
  std::vector<std::string> roots = {(t.root() / "album").string(), (t.root() / "album/y1").string(),
                                    (t.root() / "album/y0/d1/f2.png").string(),
                                    (t.root() / "album/nope").string(), ""};

  Result<WalkResult> one = WalkAlbumPaths(roots, o);
  ASSERT_TRUE(one.ok()) << one.error().message;
  // 24 folders x 9 candidates, top.jpg, x.jpg and the outside target.
  EXPECT_EQ(one->entries.size(), 24u * 9 + 3);
  EXPECT_EQ(one->files_checked, 24u * 12 + 2 + 8 + (6 * 12 + 4));  // y1 twice
  ASSERT_EQ(one->problems.size(), 4u);  // by path: y1/broken.png twice, y2/broken.jpg, locked
  EXPECT_EQ(one->problems[0].path, one->problems[1].path);
  EXPECT_NE(one->problems[2].message.find("broken symlink"), std::string::npos);
  EXPECT_EQ(one->problems[3].path, locked_path);
  std::string dup = std::filesystem::canonical(t.root() / "album/y0/d1/f0.jpg").string();
  auto it = std::find_if(one->entries.begin(), one->entries.end(),
                         [&](const ScanEntry& e) { return e.path == dup; });
  ASSERT_NE(it, one->entries.end());
  EXPECT_EQ(it->kind, MediaKind::kImage);  // the tie between kinds is broken the same way always

  for (int threads : {2, 4, 0, 2, 4}) {
    SCOPED_TRACE("threads=" + std::to_string(threads));
    o.threads = threads;
    Result<WalkResult> many = WalkAlbumPaths(roots, o);
    ASSERT_TRUE(many.ok()) << many.error().message;
    ExpectSameResult(*one, *many);
  }
}

// Raises `cancel` from inside the listing of one directory (on whichever worker lists it), and
// counts the listings that start after that.
class CancellingFs final : public WalkFileSystem {
 public:
  CancellingFs(std::string trigger, std::atomic<bool>* cancel)
      : trigger_(std::move(trigger)), cancel_(cancel) {}
  Result<std::vector<DirEntry>> ListDirectory(const std::string& dir) override {
    ++lists;
    if (cancel_->load()) ++lists_after_cancel;
    if (dir == trigger_) cancel_->store(true);
    return PosixWalkFileSystem()->ListDirectory(dir);
  }
  Result<FileStat> Stat(const std::string& p, bool f) override {
    return PosixWalkFileSystem()->Stat(p, f);
  }
  Result<std::string> RealPath(const std::string& p) override {
    return PosixWalkFileSystem()->RealPath(p);
  }
  std::atomic<int> lists{0}, lists_after_cancel{0};

 private:
  std::string trigger_;
  std::atomic<bool>* cancel_;
};

TEST(AlbumWalkerThreadsTest, CancelDuringAMultiThreadWalkReturnsCancelled) {
  TempTree t;
  for (int d = 0; d < 30; ++d) {
    // d7 has more than 256 entries, so its own visit checks the flag after raising it.
    int files = d == 7 ? 260 : 4;
    for (int f = 0; f < files; ++f)
      t.File("d" + std::to_string(d) + "/f" + std::to_string(f) + ".jpg");
  }
  for (int threads : {2, 4}) {
    SCOPED_TRACE("threads=" + std::to_string(threads));
    std::atomic<bool> cancel{false};
    CancellingFs fs(std::filesystem::canonical(t.root() / "d7").string(), &cancel);
    WalkOptions o;
    o.fs = &fs;
    o.cancel = &cancel;
    o.threads = threads;
    Result<WalkResult> r = WalkAlbumPaths({t.root().string()}, o);
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().kind, ErrorKind::kCancelled);
    // Prompt: at most one listing per worker that had passed its check when the flag rose.
    EXPECT_LE(fs.lists_after_cancel.load(), threads);
    // Joined: nothing touches the filesystem after the call returned.
    int lists = fs.lists.load();
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
    EXPECT_EQ(fs.lists.load(), lists);
  }
}

TEST(AlbumWalkerThreadsTest, CancelledBeforeTheStartReturnsCancelled) {
  TempTree t;
  t.File("a/b.jpg");
  std::atomic<bool> cancel{true};
  WalkOptions o;
  o.cancel = &cancel;
  o.threads = 4;
  Result<WalkResult> r = WalkAlbumPaths({t.root().string()}, o);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().kind, ErrorKind::kCancelled);
}

TEST(AlbumWalkerThreadsTest, ProgressComesFromTheCallingThreadAndEndsWithTheFinalCounts) {
  TempTree t;
  for (int d = 0; d < 24; ++d) {
    for (int f = 0; f < 20; ++f) {
      t.File("d" + std::to_string(d) + "/f" + std::to_string(f) + (f % 5 ? ".jpg" : ".txt"));
    }
  }
  for (int threads : {1, 4}) {
    SCOPED_TRACE("threads=" + std::to_string(threads));
    std::mutex mu;  // guards the records, so that a call from a wrong thread is seen, not a race
    std::vector<std::thread::id> ids;
    std::vector<std::pair<size_t, size_t>> calls;
    WalkOptions o;
    o.threads = threads;
    o.progress_interval = 10;
    o.progress = [&](size_t checked, size_t found) {
      std::lock_guard lock(mu);
      ids.push_back(std::this_thread::get_id());
      calls.emplace_back(checked, found);
    };
    Result<WalkResult> r = WalkAlbumPaths({t.root().string()}, o);
    ASSERT_TRUE(r.ok());
    std::lock_guard lock(mu);
    // With several threads the intermediate calls are best effort (the calling thread may not
    // get a core before the others finish); the final call always comes.
    ASSERT_GE(calls.size(), 1u);
    for (std::thread::id id : ids) EXPECT_EQ(id, std::this_thread::get_id());
    for (size_t i = 1; i < calls.size(); ++i) EXPECT_LE(calls[i - 1].first, calls[i].first);
    EXPECT_EQ(calls.back(), (std::pair<size_t, size_t>{480, 384}));
    EXPECT_EQ(r->files_checked, 480u);
    if (threads == 1) {
      EXPECT_EQ(calls.size(), 48u + 1);  // every 10 files, and the final call
    }
  }
}

// Holds the first two listings of subdirectories until both are in progress: passes only if two
// threads really list at once (gives up after 5 s rather than hang).
class RendezvousFs final : public WalkFileSystem {
 public:
  explicit RendezvousFs(std::string root) : root_(std::move(root)) {}
  Result<std::vector<DirEntry>> ListDirectory(const std::string& dir) override {
    if (dir != root_) {
      std::unique_lock lock(mu_);
      if (arrived_ < 2) {
        ++arrived_;
        cv_.notify_all();
        if (!cv_.wait_for(lock, std::chrono::seconds(5), [&] { return arrived_ >= 2; })) {
          timed_out_ = true;
        }
      }
    }
    return PosixWalkFileSystem()->ListDirectory(dir);
  }
  Result<FileStat> Stat(const std::string& p, bool f) override {
    return PosixWalkFileSystem()->Stat(p, f);
  }
  Result<std::string> RealPath(const std::string& p) override {
    return PosixWalkFileSystem()->RealPath(p);
  }
  bool timed_out() {
    std::lock_guard lock(mu_);
    return timed_out_;
  }

 private:
  std::string root_;
  std::mutex mu_;
  std::condition_variable cv_;
  int arrived_ = 0;         // guarded by mu_
  bool timed_out_ = false;  // guarded by mu_
};

TEST(AlbumWalkerThreadsTest, TwoThreadsListDirectoriesAtOnce) {
  TempTree t;
  t.File("a/1.jpg");
  t.File("b/2.jpg");
  t.File("c/3.jpg");
  RendezvousFs fs(std::filesystem::canonical(t.root()).string());
  WalkOptions o;
  o.fs = &fs;
  o.threads = 2;
  Result<WalkResult> r = WalkAlbumPaths({t.root().string()}, o);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->entries.size(), 3u);
  EXPECT_FALSE(fs.timed_out());
}

}  // namespace
}  // namespace photomap::scan
