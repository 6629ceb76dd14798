#include "http/file_response.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <ctime>
#include <map>
#include <memory>

#include "http/responses.h"

namespace photomap::http {
namespace {

std::string HttpDate(time_t t) {
  char buf[64];
  struct tm tm {};
  gmtime_r(&t, &tm);
  std::strftime(buf, sizeof(buf), "%a, %d %b %Y %H:%M:%S GMT", &tm);
  return buf;
}

// Closes the descriptor when the last copy of the provider is gone.
struct FileHandle {
  int fd = -1;
  ~FileHandle() {
    if (fd >= 0) ::close(fd);
  }
};

}  // namespace

std::string MimeTypeForPath(const std::string& path) {
  static const std::map<std::string, std::string> kTypes = {
      {".html", "text/html; charset=utf-8"},
      {".js", "text/javascript; charset=utf-8"},
      {".mjs", "text/javascript; charset=utf-8"},
      {".css", "text/css; charset=utf-8"},
      {".json", "application/json"},
      {".webmanifest", "application/manifest+json"},
      {".svg", "image/svg+xml"},
      {".png", "image/png"},
      {".jpg", "image/jpeg"},
      {".jpeg", "image/jpeg"},
      {".gif", "image/gif"},
      {".webp", "image/webp"},
      {".avif", "image/avif"},
      {".heic", "image/heic"},
      {".heif", "image/heif"},
      {".tif", "image/tiff"},
      {".tiff", "image/tiff"},
      {".bmp", "image/bmp"},
      {".ico", "image/x-icon"},
      {".woff2", "font/woff2"},
      {".woff", "font/woff"},
      {".txt", "text/plain; charset=utf-8"},
      {".map", "application/json"},
      {".wasm", "application/wasm"},
      {".mp4", "video/mp4"},
      {".webm", "video/webm"},
      {".mov", "video/quicktime"},
      {".zip", "application/zip"}};
  const size_t dot = path.rfind('.');
  if (dot == std::string::npos || path.find('/', dot) != std::string::npos) {
    return "application/octet-stream";
  }
  std::string ext = path.substr(dot);
  for (char& c : ext) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  auto it = kTypes.find(ext);
  return it == kTypes.end() ? "application/octet-stream" : it->second;
}

bool SendFile(const httplib::Request& req, httplib::Response& res, const std::string& path,
              const FileResponseOptions& options) {
  auto handle = std::make_shared<FileHandle>();
  handle->fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  struct stat st {};
  if (handle->fd < 0 || ::fstat(handle->fd, &st) != 0 || !S_ISREG(st.st_mode)) {
    SendDetail(res, 404, "File not found");
    return false;
  }
  // snprintf rather than string concatenation: GCC 12 at -O3 reports a false -Wrestrict on
  // `"literal" + std::string&&` (GCC bug 105651).
  char etag[96];
  std::snprintf(etag, sizeof(etag), "\"%lld-%lld-%lld\"", static_cast<long long>(st.st_mtim.tv_sec),
                static_cast<long long>(st.st_mtim.tv_nsec / 1000),
                static_cast<long long>(st.st_size));
  res.set_header("ETag", etag);
  res.set_header("Last-Modified", HttpDate(st.st_mtim.tv_sec));
  res.set_header("Accept-Ranges", "bytes");
  if (!options.cache_control.empty()) res.set_header("Cache-Control", options.cache_control);
  if (!options.download_name.empty()) {
    res.set_header("Content-Disposition",
                   "attachment; filename*=UTF-8''" + PercentEncode(options.download_name, ""));
  }
  if (req.has_header("If-None-Match") && req.get_header_value("If-None-Match") == etag) {
    res.status = 304;
    return true;
  }
  const std::string type =
      options.content_type.empty() ? MimeTypeForPath(path) : options.content_type;
  const size_t size = static_cast<size_t>(st.st_size);
  res.set_content_provider(
      size, type, [handle](size_t offset, size_t length, httplib::DataSink& sink) {
        char buffer[64 * 1024];
        while (length > 0) {
          const size_t want = std::min(length, sizeof(buffer));
          ssize_t n = ::pread(handle->fd, buffer, want, static_cast<off_t>(offset));
          if (n <= 0) return false;  // the file shrank or vanished: abort the response
          if (!sink.write(buffer, static_cast<size_t>(n))) return false;
          offset += static_cast<size_t>(n);
          length -= static_cast<size_t>(n);
        }
        return true;
      });
  return true;
}

}  // namespace photomap::http
