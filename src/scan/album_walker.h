// AlbumWalker: finds the candidate media files under an album's image paths, like PhotoMapAI's
// get_image_files_from_directory (backend-spec §4.2).
//
// Directories whose name starts with "." or equals photomap_index, @eaDir or __MACOSX (any case)
// are pruned, the roots themselves never. Symlinked directories are not descended; a symlinked
// file is reported at its resolved target. Each candidate costs one stat (no file is opened), and
// files with other suffixes cost nothing beyond readdir. Unreadable directories are skipped and
// reported in WalkResult::problems. WalkAlbumPaths is reentrant: concurrent calls are safe. With
// WalkOptions::threads > 1 a call walks on a pool of its own threads (walk_pool.h), joined before
// it returns; the result is the same for every thread count.
#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "scan/media_types.h"
#include "scan/walk_file_system.h"
#include "util/status.h"

namespace photomap::scan {

struct ScanEntry {
  std::string path;         // absolute, symlink-free (resolved) path
  uint64_t size_bytes = 0;  // st_size of the (target) file
  double mtime = 0;         // st_mtime as Python computes it: sec + nsec * 1e-9
  int64_t mtime_ns = 0;     // the exact st_mtim in nanoseconds since the epoch
  MediaKind kind = MediaKind::kImage;
};

struct WalkProblem {
  std::string path;
  std::string message;  // "cannot open directory /x: Permission denied"
};

struct WalkResult {
  // Sorted by path (byte order), without duplicates. Of two entries for one path (a file found
  // directly and through a symlink, maybe under another suffix) the lesser by (kind, size, mtime)
  // is kept, so that the choice does not depend on the order the walk found them in.
  std::vector<ScanEntry> entries;
  std::vector<WalkProblem> problems;  // skipped dirs and broken symlinks, by (path, message)
  size_t files_checked = 0;           // directory entries that were not directories
};

struct WalkOptions {
  bool include_images = true;  // collect image suffixes (media_types.h)
  bool include_videos = true;  // collect video suffixes
  // Checked by every walk thread before each directory and every 256 entries; when it reads
  // true the walk stops, joins its threads and returns a Cancelled error. Null: not cancellable.
  const std::atomic<bool>* cancel = nullptr;
  // Called only from the calling thread, with (files checked, candidates found) so far: every
  // `progress_interval` files checked, and once at the end with the final counts (found after
  // deduplication). With threads > 1 the calls come roughly that often: the calling thread
  // reports when it next looks (after each file it checks itself, or every 20 ms while it
  // waits for a directory), so a count may have passed the multiple. PhotoMapAI reports every 100.
  std::function<void(size_t files_checked, size_t found)> progress;
  size_t progress_interval = 100;
  // The filesystem to walk; null means PosixWalkFileSystem(). Tests inject failures here. Every
  // walk thread calls it at once, so an injected one must be thread-safe.
  WalkFileSystem* fs = nullptr;

  // Performance.
  // Threads that list and stat directories, the calling thread included: 1 walks on the calling
  // thread alone; 0 uses every hardware thread; clamped to [1, 64]. They share a stack of
  // directories, so a tree gains only as far as it has directories to hand out. More threads
  // help a large tree on a warm cache (CPU-bound) and hide latency on a slow disk or network
  // share; each costs a thread start (tens of microseconds) per walk.
  int threads = 1;
};

// Walks every root in `roots`. A root that is a directory is walked; a root that is a regular
// file with a media suffix is taken as is; a root that does not exist is ignored silently (as
// PhotoMapAI does); an unreadable root directory is reported as a problem.
// Returns Cancelled when options.cancel was set during the walk; never fails otherwise.
Result<WalkResult> WalkAlbumPaths(const std::vector<std::string>& roots,
                                  const WalkOptions& options = {});

// True when a directory with this name is pruned from the walk (dot-dirs, photomap_index,
// @eaDir, __MACOSX, case-insensitively).
bool IsPrunedDirectoryName(const std::string& name);

}  // namespace photomap::scan
