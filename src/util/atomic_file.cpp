#include "util/atomic_file.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace photomap {
namespace {

Status WriteAll(int fd, std::string_view data, const std::string& path) {
  size_t off = 0;
  while (off < data.size()) {
    ssize_t n = ::write(fd, data.data() + off, data.size() - off);
    if (n < 0) {
      if (errno == EINTR) continue;
      return ErrnoError("write " + path, errno);
    }
    off += static_cast<size_t>(n);
  }
  return Status::Ok();
}

}  // namespace

Status AtomicWriteFile(const std::string& path, std::string_view contents,
                       const AtomicWriteOptions& options) {
  namespace fs = std::filesystem;
  std::error_code ec;
  fs::path target(path);
  if (fs::is_symlink(target, ec)) {
    fs::path resolved = fs::canonical(target, ec);
    if (!ec) target = resolved;
  }
  struct stat st {};
  mode_t mode = static_cast<mode_t>(options.new_file_mode);
  if (::stat(target.c_str(), &st) == 0) mode = st.st_mode & 07777;

  const std::string tmp = target.string() + ".tmp";
  int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (fd < 0) return ErrnoError("create " + tmp, errno);
  Status s = WriteAll(fd, contents, tmp);
  if (s.ok() && ::fchmod(fd, mode) != 0) s = ErrnoError("chmod " + tmp, errno);
  if (s.ok() && options.durable && ::fsync(fd) != 0) s = ErrnoError("fsync " + tmp, errno);
  if (::close(fd) != 0 && s.ok()) s = ErrnoError("close " + tmp, errno);
  if (s.ok() && ::rename(tmp.c_str(), target.c_str()) != 0) {
    s = ErrnoError("rename " + tmp + " to " + target.string(), errno);
  }
  if (!s.ok()) {
    ::unlink(tmp.c_str());
    return s;
  }
  if (options.durable) {
    int dfd = ::open(target.parent_path().empty() ? "." : target.parent_path().c_str(),
                     O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (dfd >= 0) {
      ::fsync(dfd);
      ::close(dfd);
    }
  }
  return Status::Ok();
}

Result<std::string> ReadFileToString(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    if (errno == ENOENT) return NotFound(path + ": file does not exist");
    return ErrnoError("open " + path, errno);
  }
  std::ostringstream ss;
  ss << in.rdbuf();
  if (in.bad()) return IoError("read " + path + ": read failed");
  return ss.str();
}

}  // namespace photomap
