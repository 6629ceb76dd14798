// WalkFileSystem: the seam between the album walker and the operating system.
//
// The walker asks only three things of the filesystem: list a directory, stat a path, resolve a
// symlink. PosixWalkFileSystem() answers them with opendir/readdir/stat/realpath; tests wrap it
// to inject failures (an unreadable directory, a vanished file). Implementations must be safe to
// call from several threads at once (a multi-thread walk shares one); the POSIX one is stateless:
// each listing has its own DIR stream, and stat, lstat and realpath are thread-safe.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "util/status.h"

namespace photomap::scan {

enum class FileType { kRegular, kDirectory, kSymlink, kOther, kUnknown };

struct DirEntry {
  std::string name;                    // one path component, never "." or ".."
  FileType type = FileType::kUnknown;  // from d_type; kUnknown when the filesystem does not say
};

struct FileStat {
  FileType type = FileType::kOther;
  uint64_t size_bytes = 0;
  int64_t mtime_sec = 0;
  int64_t mtime_nsec = 0;
};

class WalkFileSystem {
 public:
  virtual ~WalkFileSystem() = default;

  // Returns the entries of directory `dir` in readdir order. Io error (with the OS reason) when
  // the directory cannot be opened or read.
  virtual Result<std::vector<DirEntry>> ListDirectory(const std::string& dir) = 0;

  // Returns the stat of `path`, following a final symlink when `follow_symlinks`. Io or NotFound
  // error when the OS refuses.
  virtual Result<FileStat> Stat(const std::string& path, bool follow_symlinks) = 0;

  // Returns the absolute path with every symlink resolved (realpath(3)). NotFound/Io on failure.
  virtual Result<std::string> RealPath(const std::string& path) = 0;
};

// The process-wide POSIX implementation (stateless, never null, never freed).
WalkFileSystem* PosixWalkFileSystem();

}  // namespace photomap::scan
