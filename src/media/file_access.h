// FileAccess: THE access check of every route that serves a file from an album (backend-spec
// §1.4.1), so /images, /videos, /image_by_name, /thumbnails and /video_frame cannot disagree.
//
// A request path is located like PhotoMapAI's find_image_in_album (first album path where it
// exists, else under the first one; an absolute path is taken as is), then allowed only if
//   1. it is not itself a symlink,
//   2. its resolved path lies inside a resolved album path (so no `..` and no symlinked
//      directory leads outside),
//   3. its suffix is in the allowed media set,
//   4. it exists and is a regular file.
// Checks run in that order, giving PhotoMapAI's statuses. Stateless and thread-safe.
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "util/status.h"

namespace photomap::media {

enum class AllowedMedia { kImages, kVideos };

struct FileAccessGrant {
  std::string path;  // resolved absolute path, inside an album path, symlink-free when checked
  uint64_t size_bytes = 0;
  int64_t mtime_ns = 0;
  dev_t device = 0;  // identity of the checked file, re-verified by OpenGrantedFile
  ino_t inode = 0;
};

// Checks `requested` (album-relative or absolute, already URL-decoded) against `album_paths`.
// Errors:
//   NotFound "Image not found"                 album_paths is empty
//   NotFound "File not found"                  NUL byte in the path; missing; not a regular file
//   PermissionDenied "Access denied"           symlink, or resolves outside every album path
//   PermissionDenied "Unsupported image type"  (kImages) suffix not an image suffix
//   PermissionDenied "Unsupported video type"  (kVideos) suffix not a video suffix
Result<FileAccessGrant> CheckFileAccess(const std::vector<std::string>& album_paths,
                                        std::string_view requested, AllowedMedia allowed);

// Opens a granted file for reading without following symlinks in any component
// (openat2 RESOLVE_NO_SYMLINKS where the kernel has it, else O_NOFOLLOW), and verifies it is
// still the file that was checked (device, inode, size, mtime). Returns the fd; the caller
// closes it. A file modified since the check is refused too: check again and reopen.
// Errors: PermissionDenied "Access denied" when the file was swapped; NotFound/Io otherwise.
Result<int> OpenGrantedFile(const FileAccessGrant& grant);

}  // namespace photomap::media
