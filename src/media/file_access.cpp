#include "media/file_access.h"

#include <fcntl.h>
#include <linux/openat2.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cerrno>
#include <filesystem>
#include <optional>

#include "scan/media_types.h"

namespace photomap::media {
namespace fs = std::filesystem;
namespace {

bool Exists(const fs::path& p) {
  struct stat st;
  return stat(p.c_str(), &st) == 0;
}

// PhotoMapAI's Path.resolve(strict=False): symlinks resolved as far as the path exists, the rest
// normalised lexically. nullopt when resolution fails (symlink loop, name too long).
std::optional<fs::path> Resolve(const fs::path& p) {
  std::error_code ec;
  fs::path abs = fs::absolute(p, ec);
  if (ec) return std::nullopt;
  fs::path r = fs::weakly_canonical(abs, ec);
  if (ec) return std::nullopt;
  return r.lexically_normal();
}

bool IsInside(const fs::path& child, const fs::path& root) {
  std::string c = child.string(), r = root.string();
  while (r.size() > 1 && r.back() == '/') r.pop_back();
  if (c == r) return true;
  if (r == "/") return !c.empty() && c[0] == '/';
  return c.size() > r.size() && c.compare(0, r.size(), r) == 0 && c[r.size()] == '/';
}

// find_image_in_album: the first album path under which `rel` exists, else the first one.
fs::path Locate(const std::vector<std::string>& album_paths, const fs::path& rel) {
  if (rel.is_absolute()) return rel;
  for (const std::string& root : album_paths) {
    fs::path candidate = fs::path(root) / rel;
    if (Exists(candidate)) return candidate;
  }
  return fs::path(album_paths.front()) / rel;
}

}  // namespace

Result<FileAccessGrant> CheckFileAccess(const std::vector<std::string>& album_paths,
                                        std::string_view requested, AllowedMedia allowed) {
  if (album_paths.empty()) return NotFound("Image not found");
  if (requested.find('\0') != std::string_view::npos || requested.empty()) {
    return NotFound("File not found");
  }
  fs::path candidate = Locate(album_paths, fs::path(std::string(requested)));

  struct stat lst;
  if (lstat(candidate.c_str(), &lst) == 0) {
    if (S_ISLNK(lst.st_mode)) return PermissionDenied("Access denied");
  } else if (errno != ENOENT && errno != ENOTDIR) {
    return PermissionDenied("Access denied");  // ELOOP, ENAMETOOLONG, EACCES: never guess
  }
  std::optional<fs::path> resolved = Resolve(candidate);
  if (!resolved) return PermissionDenied("Access denied");
  bool inside = false;
  for (const std::string& root : album_paths) {
    if (root.empty()) continue;
    std::optional<fs::path> r = Resolve(root);
    if (r && IsInside(*resolved, *r)) {
      inside = true;
      break;
    }
  }
  if (!inside) return PermissionDenied("Access denied");

  std::string suffix = scan::LowerSuffix(candidate.filename().string());
  if (allowed == AllowedMedia::kImages && !scan::IsImageSuffix(suffix)) {
    return PermissionDenied("Unsupported image type");
  }
  if (allowed == AllowedMedia::kVideos && !scan::IsVideoSuffix(suffix)) {
    return PermissionDenied("Unsupported video type");
  }
  // Existence is judged on the path as requested, like PhotoMapAI's exists(): "a/missing/../x.jpg"
  // is not found even though its lexical resolution is.
  struct stat st;
  if (stat(candidate.c_str(), &st) != 0 || !S_ISREG(st.st_mode)) return NotFound("File not found");
  FileAccessGrant grant;
  grant.path = resolved->string();
  grant.size_bytes = static_cast<uint64_t>(st.st_size);
  grant.mtime_ns = int64_t{st.st_mtim.tv_sec} * 1000000000LL + st.st_mtim.tv_nsec;
  grant.device = st.st_dev;
  grant.inode = st.st_ino;
  return grant;
}

Result<int> OpenGrantedFile(const FileAccessGrant& grant) {
  struct open_how how = {};
  how.flags = O_RDONLY | O_CLOEXEC | O_NOFOLLOW;
  how.resolve = RESOLVE_NO_SYMLINKS;
  int fd = static_cast<int>(syscall(SYS_openat2, AT_FDCWD, grant.path.c_str(), &how, sizeof how));
  if (fd < 0 && (errno == ENOSYS || errno == EPERM)) {  // old kernel or seccomp: weaker fallback
    fd = open(grant.path.c_str(), O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
  }
  if (fd < 0) {
    int err = errno;
    if (err == ELOOP) return PermissionDenied("Access denied");
    if (err == ENOENT) return NotFound("File not found");
    return ErrnoError("open " + grant.path, err);
  }
  struct stat st;
  if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) || st.st_dev != grant.device ||
      st.st_ino != grant.inode || static_cast<uint64_t>(st.st_size) != grant.size_bytes ||
      int64_t{st.st_mtim.tv_sec} * 1000000000LL + st.st_mtim.tv_nsec != grant.mtime_ns) {
    close(fd);
    return PermissionDenied("Access denied");
  }
  return fd;
}

}  // namespace photomap::media
