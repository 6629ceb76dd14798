#include "media/thumbnail_cache.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <ctime>

#include "media/path_digest.h"
#include "media/thumbnail_renderer.h"

namespace photomap::media {
namespace {

std::optional<int64_t> MtimeNs(const std::string& path) {
  struct stat st;
  if (stat(path.c_str(), &st) != 0) return std::nullopt;
  return int64_t{st.st_mtim.tv_sec} * 1000000000LL + st.st_mtim.tv_nsec;
}

Status WriteAll(int fd, const std::string& data, const std::string& path) {
  size_t done = 0;
  while (done < data.size()) {
    ssize_t n = write(fd, data.data() + done, data.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return ErrnoError("write " + path, errno);
    done += static_cast<size_t>(n);
  }
  return Status::Ok();
}

}  // namespace

ThumbnailCache::ThumbnailCache(std::filesystem::path dir, DecodeLimits limits)
    : dir_(std::move(dir)), limits_(limits) {}

std::string ThumbnailCache::CacheFileName(std::string_view relative_path,
                                          const ThumbnailParams& params) {
  // Appends piecewise: g++ 12 reports a false -Wrestrict for "literal" + std::string&&.
  std::string name = Blake2bHex(relative_path, 16);
  name.append("_").append(std::to_string(params.size));
  if (params.color) name.append("_").append(ColorHex(*params.color));
  if (params.color || params.radius != kDefaultThumbnailRadius) {
    name.append("_r").append(std::to_string(params.radius));
  }
  return name.append(".png");
}

std::optional<std::filesystem::path> ThumbnailCache::FreshEntry(
    const std::string& source_path, std::string_view relative_path,
    const ThumbnailParams& params) const {
  std::filesystem::path target = dir_ / CacheFileName(relative_path, params);
  std::optional<int64_t> src = MtimeNs(source_path);
  std::optional<int64_t> cached = MtimeNs(target.string());
  if (src && cached && *cached >= *src) return target;
  return std::nullopt;
}

Result<std::filesystem::path> ThumbnailCache::GetOrCreate(const std::string& source_path,
                                                          std::string_view relative_path,
                                                          const ThumbnailParams& params,
                                                          const RenderFn& render) {
  std::optional<int64_t> source_mtime = MtimeNs(source_path);
  if (!source_mtime) return NotFound(source_path + ": source file not found");
  std::filesystem::path target = dir_ / CacheFileName(relative_path, params);
  if (auto fresh = FreshEntry(source_path, relative_path, params)) return *fresh;

  std::promise<Outcome> promise;
  std::shared_future<Outcome> future;
  {
    std::lock_guard<std::mutex> lock(mu_);
    auto it = in_flight_.find(target.string());
    if (it != in_flight_.end()) {
      future = it->second;
    } else {
      in_flight_.emplace(target.string(), promise.get_future().share());
    }
  }
  if (future.valid()) return future.get();  // a leader is rendering this entry: share its result

  // Leader. Another leader may have finished between our freshness check and the lock.
  Outcome outcome = Internal("thumbnail render did not finish");
  try {
    outcome = FreshEntry(source_path, relative_path, params)
                  ? Outcome(target)
                  : RenderAndStore(target, *source_mtime, render);
  } catch (const std::exception& e) {  // followers must never wait forever
    outcome = Internal(std::string("thumbnail render failed: ") + e.what());
  }
  promise.set_value(outcome);
  std::lock_guard<std::mutex> lock(mu_);
  in_flight_.erase(target.string());
  return outcome;
}

Result<std::filesystem::path> ThumbnailCache::GetOrRenderImage(const std::string& source_path,
                                                               std::string_view relative_path,
                                                               const ThumbnailParams& params) {
  return GetOrCreate(source_path, relative_path, params,
                     [&] { return RenderThumbnailPng(source_path, params, limits_); });
}

ThumbnailCache::Outcome ThumbnailCache::RenderAndStore(const std::filesystem::path& target,
                                                       int64_t source_mtime_ns,
                                                       const RenderFn& render) {
  renders_.fetch_add(1);
  Result<std::string> png = render();
  if (!png.ok()) return png.error();
  std::error_code ec;
  std::filesystem::create_directories(dir_, ec);
  if (ec) return IoError("create thumbnail directory " + dir_.string() + ": " + ec.message());
  std::string tmp_name = ".";
  tmp_name.append(target.filename().string()).append(".XXXXXX");
  std::string tmp = (dir_ / tmp_name).string();
  int fd = mkstemp(tmp.data());
  if (fd < 0) return ErrnoError("create " + tmp, errno);
  Status written = WriteAll(fd, *png, tmp);
  fchmod(fd, 0644);
  // mtime = max(now, source mtime): a source stamped in the future still gives a fresh entry.
  struct timespec now;
  clock_gettime(CLOCK_REALTIME, &now);
  int64_t now_ns = int64_t{now.tv_sec} * 1000000000LL + now.tv_nsec;
  int64_t stamp = std::max(now_ns, source_mtime_ns);
  struct timespec times[2] = {{stamp / 1000000000LL, stamp % 1000000000LL},
                              {stamp / 1000000000LL, stamp % 1000000000LL}};
  futimens(fd, times);
  if (close(fd) != 0 && written.ok()) written = ErrnoError("close " + tmp, errno);
  if (written.ok() && rename(tmp.c_str(), target.c_str()) != 0) {
    written = ErrnoError("rename " + tmp + " to " + target.string(), errno);
  }
  if (!written.ok()) {
    unlink(tmp.c_str());
    return written.error();
  }
  return target;
}

}  // namespace photomap::media
