#include "media/video_still_cache.h"

#include <blake2.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <turbojpeg.h>
#include <unistd.h>

#include <spdlog/spdlog.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <vector>

namespace photomap::media {
namespace {

namespace fs = std::filesystem;

constexpr const char* kStillSuffix = ".jpg";
constexpr const char* kTempSuffix = ".tmp";

std::string Blake2bHex(std::string_view data, size_t digest_bytes) {
  uint8_t digest[64];
  blake2b(digest, data.data(), nullptr, digest_bytes, data.size(), 0);
  static constexpr char kHex[] = "0123456789abcdef";
  std::string hex;
  for (size_t i = 0; i < digest_bytes; ++i) {
    hex.push_back(kHex[digest[i] >> 4]);
    hex.push_back(kHex[digest[i] & 15]);
  }
  return hex;
}

// The resolved path when it can be resolved, else the path as given.
std::string ResolvedPath(const fs::path& video) {
  std::error_code ec;
  fs::path resolved = fs::weakly_canonical(video, ec);
  return ec ? video.string() : resolved.string();
}

std::string PathDigest(const fs::path& video) { return Blake2bHex(ResolvedPath(video), 16); }

struct TjFreer {
  void operator()(void* handle) const { tjDestroy(handle); }
};

Result<std::string> EncodeJpeg(const RgbImage& image, int quality) {
  std::unique_ptr<void, TjFreer> tj(tjInitCompress());
  if (!tj) return Internal(std::string("TurboJPEG init failed: ") + tjGetErrorStr2(nullptr));
  unsigned char* buffer = nullptr;
  unsigned long size = 0;
  const int rc = tjCompress2(tj.get(), image.pixels.data(), image.width, 0, image.height, TJPF_RGB,
                             &buffer, &size, TJSAMP_420, quality, 0);
  std::unique_ptr<unsigned char, void (*)(unsigned char*)> owned(buffer, tjFree);
  if (rc != 0) return Internal(std::string("JPEG encode failed: ") + tjGetErrorStr2(tj.get()));
  return std::string(reinterpret_cast<const char*>(buffer), size);
}

Status WriteAll(int fd, const std::string& data, const fs::path& path) {
  size_t written = 0;
  while (written < data.size()) {
    const ssize_t n = ::write(fd, data.data() + written, data.size() - written);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return ErrnoError(path.string() + ": cannot write", errno);
    written += static_cast<size_t>(n);
  }
  return Status::Ok();
}

}  // namespace

VideoStillCache::VideoStillCache(VideoStillCacheOptions options)
    : options_(std::move(options)), now_([] { return Clock::now(); }) {
  const VideoFrameOptions frame_options = options_.frame;
  extractor_ = [frame_options](const fs::path& video) -> Result<RgbImage> {
    Result<VideoFrame> frame = ExtractVideoFrame(video, frame_options);
    if (!frame.ok()) return std::move(frame).error();
    return std::move(frame->image);
  };
}

Result<std::string> VideoStillCache::KeyFor(const fs::path& video) const {
  struct stat st {};
  if (::stat(video.c_str(), &st) != 0) {
    const int err = errno;
    if (err == ENOENT) return NotFound(video.string() + ": no such file");
    return ErrnoError(video.string() + ": cannot stat", err);
  }
  const int64_t mtime_ns =
      static_cast<int64_t>(st.st_mtim.tv_sec) * 1000000000 + st.st_mtim.tv_nsec;
  const std::string version = std::to_string(st.st_size) + ":" + std::to_string(mtime_ns);
  return PathDigest(video) + "-" + Blake2bHex(version, 8);
}

fs::path VideoStillCache::PathForKey(const std::string& key) const {
  return options_.directory / (key + kStillSuffix);
}

std::optional<fs::path> VideoStillCache::Get(const fs::path& video) const {
  Result<std::string> key = KeyFor(video);
  if (!key.ok()) return std::nullopt;
  const fs::path still = PathForKey(*key);
  std::error_code ec;
  const auto size = fs::file_size(still, ec);
  if (ec || size == 0) return std::nullopt;
  return still;
}

Result<fs::path> VideoStillCache::StoreUnderKey(const std::string& key, const RgbImage& still) {
  if (still.empty() || still.pixels.size() != static_cast<size_t>(still.width) * still.height * 3) {
    return InvalidInput("video still: image is empty or its buffer does not match its size");
  }
  Result<std::string> jpeg = EncodeJpeg(still, options_.jpeg_quality);
  if (!jpeg.ok()) return std::move(jpeg).error();
  std::error_code ec;
  fs::create_directories(options_.directory, ec);
  if (ec) return ErrnoError(options_.directory.string() + ": cannot create", ec.value());
  std::string temp = (options_.directory / ("." + key + ".XXXXXX" + kTempSuffix)).string();
  const int fd = ::mkstemps(temp.data(), static_cast<int>(std::strlen(kTempSuffix)));
  if (fd < 0) return ErrnoError(temp + ": cannot create temp file", errno);
  Status written = WriteAll(fd, *jpeg, temp);
  if (::close(fd) != 0 && written.ok()) written = ErrnoError(temp + ": cannot close", errno);
  const fs::path target = PathForKey(key);
  if (written.ok() && ::rename(temp.c_str(), target.c_str()) != 0) {
    written = ErrnoError(target.string() + ": cannot rename temp file into place", errno);
  }
  if (!written.ok()) {
    ::unlink(temp.c_str());
    return written.error();
  }
  return target;
}

Result<fs::path> VideoStillCache::Store(const fs::path& video, const RgbImage& still) {
  Result<std::string> key = KeyFor(video);
  if (!key.ok()) return std::move(key).error();
  return StoreUnderKey(*key, still);
}

std::shared_ptr<std::mutex> VideoStillCache::LockFor(const std::string& key) {
  std::lock_guard<std::mutex> guard(mu_);
  std::weak_ptr<std::mutex>& slot = key_locks_[key];
  std::shared_ptr<std::mutex> lock = slot.lock();
  if (!lock) {
    lock = std::make_shared<std::mutex>();
    slot = lock;
  }
  // Locks nobody holds any more are dropped, so the table stays as small as the work in flight.
  if (key_locks_.size() > 64) {
    std::erase_if(key_locks_, [](const auto& entry) { return entry.second.expired(); });
  }
  return lock;
}

std::optional<Error> VideoStillCache::RecentFailure(const std::string& key) {
  std::lock_guard<std::mutex> guard(mu_);
  const auto it = failures_.find(key);
  if (it == failures_.end()) return std::nullopt;
  if (now_() - it->second.when >= options_.failure_ttl) {
    failures_.erase(it);
    return std::nullopt;
  }
  return it->second.error;
}

void VideoStillCache::RememberFailure(const std::string& key, const Error& error) {
  std::lock_guard<std::mutex> guard(mu_);
  if (failures_.size() >= options_.max_remembered_failures && !failures_.contains(key)) {
    auto oldest = failures_.begin();
    for (auto it = failures_.begin(); it != failures_.end(); ++it) {
      if (it->second.when < oldest->second.when) oldest = it;
    }
    if (oldest != failures_.end()) failures_.erase(oldest);
  }
  failures_[key] = Failure{now_(), error};
}

Result<fs::path> VideoStillCache::Ensure(const fs::path& video) {
  Result<std::string> key = KeyFor(video);
  if (!key.ok()) return std::move(key).error();
  const auto hit = [&]() -> std::optional<fs::path> {
    const fs::path still = PathForKey(*key);
    std::error_code ec;
    const auto size = fs::file_size(still, ec);
    return (!ec && size > 0) ? std::optional<fs::path>(still) : std::nullopt;
  };
  if (auto still = hit()) return *still;
  std::shared_ptr<std::mutex> lock = LockFor(*key);
  std::lock_guard<std::mutex> guard(*lock);
  if (auto still = hit()) return *still;  // another caller stored it while we waited
  if (std::optional<Error> failed = RecentFailure(*key)) {
    return Error{failed->kind, failed->message + " (failed recently; not retried yet)"};
  }
  Result<RgbImage> frame = extractor_(video);
  if (!frame.ok()) {
    RememberFailure(*key, frame.error());
    spdlog::warn("video still: {}", frame.error().message);
    return std::move(frame).error();
  }
  return StoreUnderKey(*key, *frame);
}

void VideoStillCache::Discard(const fs::path& video) {
  const std::string prefix = PathDigest(video) + "-";
  std::error_code ec;
  for (fs::directory_iterator it(options_.directory, ec), end; !ec && it != end; it.increment(ec)) {
    const std::string name = it->path().filename().string();
    if (name.rfind(prefix, 0) == 0) fs::remove(it->path(), ec);
  }
}

Status VideoStillCache::Prune(const std::unordered_set<std::string>& keep_keys) {
  std::error_code ec;
  if (!fs::exists(options_.directory, ec)) return Status::Ok();
  std::vector<fs::path> doomed;
  for (fs::directory_iterator it(options_.directory, ec), end; !ec && it != end; it.increment(ec)) {
    const fs::path& p = it->path();
    const std::string ext = p.extension().string();
    if (ext == kTempSuffix || (ext == kStillSuffix && !keep_keys.contains(p.stem().string()))) {
      doomed.push_back(p);
    }
  }
  if (ec) return ErrnoError(options_.directory.string() + ": cannot list", ec.value());
  for (const fs::path& p : doomed) fs::remove(p, ec);
  return Status::Ok();
}

Status VideoStillCache::Clear() {
  std::error_code ec;
  fs::remove_all(options_.directory, ec);
  if (ec) return ErrnoError(options_.directory.string() + ": cannot remove", ec.value());
  return Status::Ok();
}

void VideoStillCache::SetExtractorForTesting(Extractor extractor) {
  extractor_ = std::move(extractor);
}

void VideoStillCache::SetClockForTesting(std::function<Clock::time_point()> now) {
  now_ = std::move(now);
}

}  // namespace photomap::media
