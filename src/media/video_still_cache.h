// VideoStillCache: one JPEG still per video version, kept outside the album in a directory the
// caller chooses (backend-spec §9.3; PhotoMapAI keeps it under
// user_cache_dir/video_frames/<album>).
//
// Key = blake2b-128(resolved path) "-" blake2b-64(size, mtime in ns), so an edited video gets a
// new still and every generation of one file shares a prefix (docs/formats.md "Video still
// cache"). Stores are atomic (temp file + rename; a reader never sees half a JPEG). Ensure() is
// single-flight per key: concurrent callers for one video extract it once. A failed extraction is
// remembered for failure_ttl so a broken video is not re-decoded on every request.
// Thread-safe: all methods may be called concurrently.
#pragma once

#include <chrono>
#include <filesystem>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>
#include <unordered_set>

#include "media/video_frame.h"
#include "util/image.h"
#include "util/status.h"

namespace photomap::media {

struct VideoStillCacheOptions {
  std::filesystem::path directory;  // where stills live; created on first store. Required.
  int jpeg_quality = 92;            // PhotoMapAI writes quality 92
  // How long a failed extraction is remembered before Ensure() tries that video again.
  std::chrono::seconds failure_ttl{300};
  size_t max_remembered_failures = 4096;  // oldest forgotten first beyond this
  VideoFrameOptions frame;                // how the still is extracted
};

class VideoStillCache {
 public:
  using Clock = std::chrono::steady_clock;
  // Produces the still of a video; the default calls ExtractVideoFrame.
  using Extractor = std::function<Result<RgbImage>(const std::filesystem::path&)>;

  explicit VideoStillCache(VideoStillCacheOptions options);
  VideoStillCache(const VideoStillCache&) = delete;
  VideoStillCache& operator=(const VideoStillCache&) = delete;

  // Returns the cache key of the video's current version.
  // Errors: NotFound / Io when the video cannot be stat()ed.
  Result<std::string> KeyFor(const std::filesystem::path& video) const;

  // Returns the file a key's still lives in (whether or not it exists).
  std::filesystem::path PathForKey(const std::string& key) const;

  // Returns the cached still of the video's current version, or nullopt on a miss (an empty file
  // counts as a miss).
  std::optional<std::filesystem::path> Get(const std::filesystem::path& video) const;

  // Encodes `still` as JPEG and stores it for the video's current version atomically.
  // Returns the stored file. Errors: NotFound (video gone), InvalidInput (empty image), Io.
  Result<std::filesystem::path> Store(const std::filesystem::path& video, const RgbImage& still);

  // Returns the cached still, extracting and storing it first on a miss. Concurrent calls for
  // one video extract once; the others wait and get the same file. Within failure_ttl of a failed
  // extraction, returns that failure again without retrying.
  // Errors: those of KeyFor, of the extractor (Corrupt, Unsupported, ...) and of Store.
  Result<std::filesystem::path> Ensure(const std::filesystem::path& video);

  // Removes every cached generation of the video (all keys sharing its path digest).
  void Discard(const std::filesystem::path& video);

  // Removes every still whose key is not in `keep_keys`, and every leftover temp file.
  // Errors: Io when the directory cannot be listed.
  Status Prune(const std::unordered_set<std::string>& keep_keys);

  // Removes the whole cache directory. Errors: Io.
  Status Clear();

  // Test hooks. Not synchronised: call before the cache is shared between threads.
  void SetExtractorForTesting(Extractor extractor);
  void SetClockForTesting(std::function<Clock::time_point()> now);

 private:
  struct Failure {
    Clock::time_point when;
    Error error;
  };

  std::shared_ptr<std::mutex> LockFor(const std::string& key);
  std::optional<Error> RecentFailure(const std::string& key);
  void RememberFailure(const std::string& key, const Error& error);
  Result<std::filesystem::path> StoreUnderKey(const std::string& key, const RgbImage& still);

  const VideoStillCacheOptions options_;
  Extractor extractor_;
  std::function<Clock::time_point()> now_;

  std::mutex mu_;  // guards the two maps below
  std::unordered_map<std::string, std::weak_ptr<std::mutex>> key_locks_;
  std::unordered_map<std::string, Failure> failures_;
};

}  // namespace photomap::media
