#include "scan/walk_file_system.h"

#include <dirent.h>
#include <sys/stat.h>

#include <cerrno>
#include <climits>
#include <cstdlib>
#include <memory>

namespace photomap::scan {
namespace {

FileType TypeFromMode(mode_t mode) {
  if (S_ISREG(mode)) return FileType::kRegular;
  if (S_ISDIR(mode)) return FileType::kDirectory;
  if (S_ISLNK(mode)) return FileType::kSymlink;
  return FileType::kOther;
}

FileType TypeFromDirent(unsigned char d_type) {
  switch (d_type) {
    case DT_REG:
      return FileType::kRegular;
    case DT_DIR:
      return FileType::kDirectory;
    case DT_LNK:
      return FileType::kSymlink;
    case DT_UNKNOWN:
      return FileType::kUnknown;
    default:
      return FileType::kOther;
  }
}

Error PathError(const std::string& what, const std::string& path, int err) {
  Error e = ErrnoError(what + " " + path, err);
  if (err == ENOENT || err == ENOTDIR) e.kind = ErrorKind::kNotFound;
  return e;
}

class PosixFs final : public WalkFileSystem {
 public:
  Result<std::vector<DirEntry>> ListDirectory(const std::string& dir) override {
    std::unique_ptr<DIR, int (*)(DIR*)> d(opendir(dir.c_str()), closedir);
    if (!d) return PathError("cannot open directory", dir, errno);
    std::vector<DirEntry> out;
    for (;;) {
      errno = 0;
      struct dirent* e = readdir(d.get());
      if (e == nullptr) {
        if (errno != 0) return PathError("cannot read directory", dir, errno);
        break;
      }
      const char* n = e->d_name;
      if (n[0] == '.' && (n[1] == '\0' || (n[1] == '.' && n[2] == '\0'))) continue;
      out.push_back(DirEntry{n, TypeFromDirent(e->d_type)});
    }
    return out;
  }

  Result<FileStat> Stat(const std::string& path, bool follow_symlinks) override {
    struct stat st;
    int rc = follow_symlinks ? stat(path.c_str(), &st) : lstat(path.c_str(), &st);
    if (rc != 0) return PathError("cannot stat", path, errno);
    FileStat out;
    out.type = TypeFromMode(st.st_mode);
    out.size_bytes = static_cast<uint64_t>(st.st_size);
    out.mtime_sec = st.st_mtim.tv_sec;
    out.mtime_nsec = st.st_mtim.tv_nsec;
    return out;
  }

  Result<std::string> RealPath(const std::string& path) override {
    char buf[PATH_MAX];
    if (realpath(path.c_str(), buf) == nullptr) return PathError("cannot resolve", path, errno);
    return std::string(buf);
  }
};

}  // namespace

WalkFileSystem* PosixWalkFileSystem() {
  static PosixFs* fs = new PosixFs();  // intentionally never freed: used until exit
  return fs;
}

}  // namespace photomap::scan
