#include "scan/album_walker.h"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <algorithm>
#include <atomic>
#include <set>

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
// for other files, one listing per directory.
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
  int lists = 0, stats = 0, realpaths = 0;
};

TEST(AlbumWalkerTest, OneStatPerCandidateAndNoneForOtherFiles) {
  TempTree t;
  for (int i = 0; i < 30; ++i)
    t.File("d" + std::to_string(i % 3) + "/p" + std::to_string(i) + ".jpg");
  for (int i = 0; i < 50; ++i)
    t.File("d" + std::to_string(i % 3) + "/n" + std::to_string(i) + ".xmp");
  t.File(".hidden/skip.jpg");
  CountingFs fs;
  WalkOptions o;
  o.fs = &fs;
  Result<WalkResult> r = WalkAlbumPaths({t.root().string()}, o);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->entries.size(), 30u);
  EXPECT_EQ(r->files_checked, 80u);
  EXPECT_EQ(fs.stats, 30 + 1);  // the candidates, plus the root
  EXPECT_EQ(fs.lists, 1 + 3);   // root and d0..d2; .hidden is pruned unread
  EXPECT_EQ(fs.realpaths, 1);   // the root only
}

}  // namespace
}  // namespace photomap::scan
