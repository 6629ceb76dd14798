#include "media/file_bytes.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>

namespace photomap::media {

Result<std::vector<uint8_t>> ReadWholeFile(const std::string& path, uint64_t max_bytes) {
  int fd = open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    const int err = errno;
    Error e = ErrnoError(path, err);
    if (err == ENOENT) e.kind = ErrorKind::kNotFound;
    return e;
  }
  struct stat st {};
  if (fstat(fd, &st) != 0) {
    const int err = errno;
    close(fd);
    return ErrnoError(path, err);
  }
  const uint64_t size = static_cast<uint64_t>(std::max<off_t>(st.st_size, 0));
  if (size > max_bytes) {
    close(fd);
    return TooLarge(path + ": " + std::to_string(size) + " bytes is over the limit of " +
                    std::to_string(max_bytes));
  }
  std::vector<uint8_t> bytes(size);
  size_t done = 0;
  while (done < size) {
    const ssize_t n = pread(fd, bytes.data() + done, size - done, static_cast<off_t>(done));
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    done += static_cast<size_t>(n);
  }
  const int err = errno;
  close(fd);
  if (done != size) return IoError(path + ": cannot read (" + std::to_string(err) + ")");
  return bytes;
}

}  // namespace photomap::media
