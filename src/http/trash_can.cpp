#include "http/trash_can.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <ctime>
#include <filesystem>

#include "http/responses.h"

namespace photomap::http {
namespace {

namespace fs = std::filesystem;

// The mount point holding `path`: the highest ancestor on the same device.
fs::path TopDir(const fs::path& path, dev_t device) {
  fs::path top = path.parent_path();
  while (top.has_parent_path() && top != top.root_path()) {
    struct stat st {};
    if (::stat(top.parent_path().c_str(), &st) != 0 || st.st_dev != device) break;
    top = top.parent_path();
  }
  return top;
}

Status EnsureDir(const fs::path& dir) {
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (ec || ::access(dir.c_str(), W_OK) != 0) {
    return PermissionDenied("cannot create or write the trash folder " + dir.string());
  }
  return Status::Ok();
}

std::string Now() {
  char buf[32];
  std::time_t t = std::time(nullptr);
  std::tm tm{};
  localtime_r(&t, &tm);
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%S", &tm);
  return buf;
}

}  // namespace

Status MoveToTrash(const std::string& path, const std::string& home_trash) {
  struct stat file {
  }, home{};
  if (::lstat(path.c_str(), &file) != 0) return ErrnoError(path, errno);
  fs::path trash = home_trash;
  std::error_code ec;
  fs::create_directories(trash, ec);
  const bool same_device = ::stat(trash.c_str(), &home) == 0 && home.st_dev == file.st_dev;
  if (!same_device) trash = TopDir(path, file.st_dev) / (".Trash-" + std::to_string(::getuid()));
  PHOTOMAP_RETURN_IF_ERROR(EnsureDir(trash / "files"));
  PHOTOMAP_RETURN_IF_ERROR(EnsureDir(trash / "info"));

  const fs::path source(path);
  const std::string stem = source.stem().string();
  const std::string ext = source.extension().string();
  for (int n = 0; n < 10000; ++n) {
    const std::string name =
        n == 0 ? source.filename().string() : stem + "." + std::to_string(n) + ext;
    const fs::path info = trash / "info" / (name + ".trashinfo");
    int fd = ::open(info.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    if (fd < 0) {
      if (errno == EEXIST) continue;
      return PermissionDenied("cannot write " + info.string());
    }
    const std::string text =
        "[Trash Info]\nPath=" + PercentEncode(path, "/") + "\nDeletionDate=" + Now() + "\n";
    const bool written = ::write(fd, text.data(), text.size()) == static_cast<ssize_t>(text.size());
    ::close(fd);
    const fs::path target = trash / "files" / name;
    if (!written || ::rename(path.c_str(), target.c_str()) != 0) {
      const int err = errno;
      ::unlink(info.c_str());
      return err == EACCES || err == EPERM
                 ? PermissionDenied("cannot move " + path + " to the trash")
                 : ErrnoError(path, err);
    }
    return Status::Ok();
  }
  return IoError(path + ": too many files of this name in the trash");
}

}  // namespace photomap::http
