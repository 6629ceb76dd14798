// SendFile: streams a file from disk as an HTTP response without reading it into memory
// (cpp-httplib content provider), with Range (206/416), Accept-Ranges, ETag/Last-Modified and
// conditional 304. The caller has already decided the path is allowed (media/file_access for
// album files, the web root check for UI assets).
#pragma once

#include <string>

#include <httplib.h>

namespace photomap::http {

struct FileResponseOptions {
  std::string content_type;   // empty → guessed from the extension
  std::string cache_control;  // e.g. "public, max-age=31536000, immutable"; empty = none
  std::string download_name;  // non-empty → Content-Disposition: attachment
};

// Returns false (and writes 404 {"detail": "File not found"}) when the path is not a readable
// regular file.
bool SendFile(const httplib::Request& req, httplib::Response& res, const std::string& path,
              const FileResponseOptions& options = {});

// A MIME type for a file name by extension (lower-cased), "application/octet-stream" if unknown.
std::string MimeTypeForPath(const std::string& path);

}  // namespace photomap::http
