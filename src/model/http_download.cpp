#include "model/http_download.h"

#include <curl/curl.h>
#include <fcntl.h>
#include <openssl/evp.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <fstream>
#include <memory>
#include <mutex>

namespace photomap::model {
namespace {

namespace fs = std::filesystem;

struct CurlDeleter {
  void operator()(CURL* c) const { curl_easy_cleanup(c); }
};
struct SlistDeleter {
  void operator()(curl_slist* s) const { curl_slist_free_all(s); }
};
struct FileCloser {
  void operator()(std::FILE* f) const { std::fclose(f); }
};

void GlobalInitOnce() {
  static std::once_flag once;
  std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

std::string Lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

std::string Trim(std::string s) {
  auto not_space = [](unsigned char c) { return !std::isspace(c); };
  s.erase(s.begin(), std::find_if(s.begin(), s.end(), not_space));
  s.erase(std::find_if(s.rbegin(), s.rend(), not_space).base(), s.end());
  return s;
}

bool IsSha256Hex(const std::string& s) {
  return s.size() == 64 && std::all_of(s.begin(), s.end(), [](char c) {
           return std::isxdigit(static_cast<unsigned char>(c)) != 0;
         });
}

std::string HostOf(const std::string& url) {
  size_t start = url.find("://");
  start = start == std::string::npos ? 0 : start + 3;
  size_t end = url.find_first_of("/:?", start);
  return url.substr(start, end == std::string::npos ? std::string::npos : end - start);
}

// State shared with the curl callbacks for one attempt.
struct Transfer {
  const DownloadRequest* req = nullptr;
  CURL* curl = nullptr;
  fs::path part;
  std::unique_ptr<std::FILE, FileCloser> file;
  uint64_t offset = 0;   // bytes already in .part when this attempt started
  uint64_t written = 0;  // bytes written by this attempt
  bool body_started = false;
  long status = 0;
  bool io_failed = false;
  // From headers (any response in the redirect chain).
  std::string linked_etag, etag;
  uint64_t linked_size = 0, content_length = 0, range_total = 0;
};

size_t OnHeader(char* data, size_t size, size_t n, void* user) {
  auto* t = static_cast<Transfer*>(user);
  std::string line(data, size * n);
  if (line.rfind("HTTP/", 0) == 0) {  // a new response in the redirect chain
    t->etag.clear();
    t->content_length = t->range_total = 0;
    return size * n;
  }
  size_t colon = line.find(':');
  if (colon == std::string::npos) return size * n;
  std::string key = Lower(Trim(line.substr(0, colon)));
  std::string value = Trim(line.substr(colon + 1));
  std::string unquoted = value;
  unquoted.erase(std::remove(unquoted.begin(), unquoted.end(), '"'), unquoted.end());
  if (unquoted.rfind("W/", 0) == 0) unquoted = unquoted.substr(2);
  if (key == "x-linked-etag") t->linked_etag = Lower(unquoted);
  if (key == "etag") t->etag = Lower(unquoted);
  if (key == "x-linked-size") t->linked_size = std::strtoull(value.c_str(), nullptr, 10);
  if (key == "content-length") t->content_length = std::strtoull(value.c_str(), nullptr, 10);
  if (key == "content-range") {  // "bytes 10-99/100"
    size_t slash = value.rfind('/');
    if (slash != std::string::npos)
      t->range_total = std::strtoull(value.c_str() + slash + 1, nullptr, 10);
  }
  return size * n;
}

// Opens .part for this attempt once the final status is known: 206 appends, 200 restarts.
bool StartBody(Transfer* t) {
  t->body_started = true;
  curl_easy_getinfo(t->curl, CURLINFO_RESPONSE_CODE, &t->status);
  if (t->status != 200 && t->status != 206) return true;  // error body: discarded
  if (t->status == 200) t->offset = 0;
  t->file.reset(std::fopen(t->part.c_str(), t->status == 206 ? "ab" : "wb"));
  if (!t->file) t->io_failed = true;
  return !t->io_failed;
}

size_t OnBody(char* data, size_t size, size_t n, void* user) {
  auto* t = static_cast<Transfer*>(user);
  if (!t->body_started && !StartBody(t)) return 0;
  if (!t->file) return size * n;  // error page
  if (std::fwrite(data, 1, size * n, t->file.get()) != size * n) {
    t->io_failed = true;
    return 0;
  }
  t->written += size * n;
  return size * n;
}

uint64_t ExpectedTotal(const Transfer& t) {
  if (t.linked_size) return t.linked_size;
  if (t.range_total) return t.range_total;
  if (t.content_length) return t.offset + t.content_length;
  return 0;
}

int OnProgress(void* user, curl_off_t, curl_off_t, curl_off_t, curl_off_t) {
  auto* t = static_cast<Transfer*>(user);
  if (t->req->cancel && t->req->cancel->load()) return 1;
  if (t->req->progress && t->status != 0)
    t->req->progress(t->offset + t->written, ExpectedTotal(*t));
  return 0;
}

uint64_t FileSize(const fs::path& p) {
  std::error_code ec;
  uint64_t s = fs::file_size(p, ec);
  return ec ? 0 : s;
}

// One GET (resuming from the .part's size). Returns the curl code; fills t.
CURLcode RunAttempt(Transfer& t) {
  const DownloadRequest& req = *t.req;
  std::unique_ptr<CURL, CurlDeleter> curl(curl_easy_init());
  t.curl = curl.get();
  t.offset = FileSize(t.part);
  std::unique_ptr<curl_slist, SlistDeleter> headers;
  if (!req.bearer_token.empty()) {
    headers.reset(
        curl_slist_append(nullptr, ("Authorization: Bearer " + req.bearer_token).c_str()));
  }
  curl_easy_setopt(t.curl, CURLOPT_URL, req.url.c_str());
  curl_easy_setopt(t.curl, CURLOPT_FOLLOWLOCATION, 1L);
  curl_easy_setopt(t.curl, CURLOPT_MAXREDIRS, 10L);
  curl_easy_setopt(t.curl, CURLOPT_USERAGENT, "photomap/0.1");
  curl_easy_setopt(t.curl, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(t.curl, CURLOPT_CONNECTTIMEOUT, req.connect_timeout_s);
  curl_easy_setopt(t.curl, CURLOPT_LOW_SPEED_LIMIT, 1L);
  curl_easy_setopt(t.curl, CURLOPT_LOW_SPEED_TIME, req.stall_timeout_s);
  curl_easy_setopt(t.curl, CURLOPT_HEADERFUNCTION, OnHeader);
  curl_easy_setopt(t.curl, CURLOPT_HEADERDATA, &t);
  curl_easy_setopt(t.curl, CURLOPT_WRITEFUNCTION, OnBody);
  curl_easy_setopt(t.curl, CURLOPT_WRITEDATA, &t);
  curl_easy_setopt(t.curl, CURLOPT_NOPROGRESS, 0L);
  curl_easy_setopt(t.curl, CURLOPT_XFERINFOFUNCTION, OnProgress);
  curl_easy_setopt(t.curl, CURLOPT_XFERINFODATA, &t);
  if (headers) curl_easy_setopt(t.curl, CURLOPT_HTTPHEADER, headers.get());
  std::string range = std::to_string(t.offset) + "-";
  if (t.offset > 0) curl_easy_setopt(t.curl, CURLOPT_RANGE, range.c_str());
  CURLcode rc = curl_easy_perform(t.curl);
  if (t.status == 0) curl_easy_getinfo(t.curl, CURLINFO_RESPONSE_CODE, &t.status);
  if (t.file) {
    if (std::fflush(t.file.get()) != 0) t.io_failed = true;
    t.file.reset();
  }
  t.curl = nullptr;
  return rc;
}

Error HttpError(const DownloadRequest& req, long status) {
  const std::string where = req.what + " (" + HostOf(req.url) + ")";
  if (status == 404) {
    return NotFound(where + ": HTTP 404, no such repository or file; check the model name");
  }
  if (status == 401 || status == 403) {
    return PermissionDenied(where + ": HTTP " + std::to_string(status) +
                            ", the repository is gated or private; accept its licence on the hub "
                            "and provide an access token");
  }
  return IoError(where + ": HTTP " + std::to_string(status) + " from the server");
}

// Checks the finished .part against what the server announced, then renames it into place.
Result<DownloadResult> Publish(const DownloadRequest& req, const Transfer& t, const fs::path& part,
                               bool resumed) {
  DownloadResult out;
  out.resumed = resumed;
  if (!fs::exists(part)) std::ofstream(part, std::ios::binary);  // an empty body writes nothing
  out.size_bytes = FileSize(part);
  const uint64_t expected = t.linked_size ? t.linked_size : ExpectedTotal(t);
  if (expected != 0 && out.size_bytes != expected) {
    fs::remove(part);
    return Corrupt(req.what + ": downloaded " + std::to_string(out.size_bytes) +
                   " bytes, the server announced " + std::to_string(expected) +
                   "; the partial file was removed, pull again");
  }
  auto sha = Sha256File(part);
  if (!sha.ok()) return sha.error();
  out.sha256_hex = *sha;
  std::string want =
      IsSha256Hex(t.linked_etag) ? t.linked_etag : (IsSha256Hex(t.etag) ? t.etag : "");
  if (!want.empty() && want != out.sha256_hex) {
    fs::remove(part);
    return Corrupt(req.what + ": sha256 " + out.sha256_hex + " does not match the server's " +
                   want + "; the partial file was removed, pull again");
  }
  // Make the bytes durable before the rename makes them visible.
  int fd = ::open(part.c_str(), O_RDONLY);
  if (fd >= 0) {
    ::fsync(fd);
    ::close(fd);
  }
  std::error_code ec;
  fs::rename(part, req.destination, ec);
  if (ec) return IoError(req.destination.string() + ": cannot publish download: " + ec.message());
  if (req.progress) req.progress(out.size_bytes, out.size_bytes);
  return out;
}

}  // namespace

Result<std::string> Sha256File(const fs::path& path) {
  std::unique_ptr<std::FILE, FileCloser> f(std::fopen(path.c_str(), "rb"));
  if (!f) return IoError(path.string() + ": cannot open for hashing");
  std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)> ctx(EVP_MD_CTX_new(), &EVP_MD_CTX_free);
  EVP_DigestInit_ex(ctx.get(), EVP_sha256(), nullptr);
  std::vector<unsigned char> buf(1 << 20);
  size_t n;
  while ((n = std::fread(buf.data(), 1, buf.size(), f.get())) > 0) {
    EVP_DigestUpdate(ctx.get(), buf.data(), n);
  }
  if (std::ferror(f.get())) return IoError(path.string() + ": read failed while hashing");
  unsigned char md[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  EVP_DigestFinal_ex(ctx.get(), md, &len);
  static const char* kHex = "0123456789abcdef";
  std::string hex;
  for (unsigned int i = 0; i < len; ++i) {
    hex += kHex[md[i] >> 4];
    hex += kHex[md[i] & 15];
  }
  return hex;
}

Result<DownloadResult> DownloadFile(const DownloadRequest& req) {
  GlobalInitOnce();
  const fs::path part = req.destination.string() + ".part";
  const std::string host = HostOf(req.url);
  bool resumed = false;
  std::string last_error;
  for (int attempt = 0; attempt < std::max(1, req.max_attempts); ++attempt) {
    Transfer t;
    t.req = &req;
    t.part = part;
    CURLcode rc = RunAttempt(t);
    if (t.offset > 0 && t.status == 206) resumed = true;
    if (rc == CURLE_ABORTED_BY_CALLBACK && req.cancel && req.cancel->load()) {
      return Cancelled(req.what + ": download cancelled; " + std::to_string(FileSize(part)) +
                       " bytes kept for resuming");
    }
    if (t.io_failed) return IoError(part.string() + ": cannot write the download (disk full?)");
    if (t.status == 416 && t.offset > 0) {  // .part larger than the file: start over
      fs::remove(part);
      continue;
    }
    if (rc == CURLE_OK && (t.status == 200 || t.status == 206)) {
      return Publish(req, t, part, resumed);
    }
    if (rc == CURLE_OK || rc == CURLE_HTTP_RETURNED_ERROR) return HttpError(req, t.status);
    if (rc == CURLE_COULDNT_RESOLVE_HOST || rc == CURLE_COULDNT_CONNECT ||
        rc == CURLE_COULDNT_RESOLVE_PROXY || rc == CURLE_SSL_CONNECT_ERROR) {
      return IoError(req.what + ": cannot reach " + host + " (" + curl_easy_strerror(rc) +
                     "); check the network, or install the files by hand");
    }
    // Dropped or stalled transfer: resume from what reached the disk.
    last_error = curl_easy_strerror(rc);
  }
  return IoError(req.what + ": transfer from " + host + " kept failing (" + last_error + "); " +
                 std::to_string(FileSize(part)) + " bytes kept, pull again to resume");
}

}  // namespace photomap::model
