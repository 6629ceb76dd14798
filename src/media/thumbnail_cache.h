// ThumbnailCache: rendered thumbnail PNGs on disk, one directory per album
// (<index dir>/thumbnails). File naming is documented in docs/formats.md, "Thumbnail cache".
//
// An entry is fresh when its mtime >= the source's mtime; stale or missing entries are rendered
// again. Concurrent requests for the same entry render it once (single flight): followers wait
// for the leader's result. Writes go to a temp file in the same directory, then rename(2), so a
// reader never sees a partial PNG. Thread-safe; one instance per directory is expected, but
// several instances (or processes) sharing a directory stay correct, only less deduplicated.
#pragma once

#include <atomic>
#include <filesystem>
#include <functional>
#include <future>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

#include "media/media_limits.h"
#include "media/thumbnail_params.h"
#include "util/status.h"

namespace photomap::media {

class ThumbnailCache {
 public:
  // `dir` is created (with parents) on first write.
  explicit ThumbnailCache(std::filesystem::path dir, DecodeLimits limits = {});
  ThumbnailCache(const ThumbnailCache&) = delete;
  ThumbnailCache& operator=(const ThumbnailCache&) = delete;

  const std::filesystem::path& dir() const { return dir_; }

  // The cache file name for an album-relative path (UTF-8, as stored) and parameters:
  //   <blake2b-128 hex of relative_path><"_" size>[<"_" colour hex>][<"_r" radius>].png
  // where the colour part appears when a colour is given, and the radius part whenever a colour
  // is given or the radius differs from 12.
  static std::string CacheFileName(std::string_view relative_path, const ThumbnailParams& params);

  // Produces PNG bytes for a stale or missing entry.
  using RenderFn = std::function<Result<std::string>()>;

  // Returns the path of a fresh cache entry for `source_path`, rendering it with `render` if the
  // entry is missing or older than the source. The source's mtime is the freshness reference
  // (for a video, pass the video file and a RenderFn that thumbnails its still).
  // Errors: NotFound when source_path does not exist; Io when the cache cannot be written;
  // whatever `render` returns.
  Result<std::filesystem::path> GetOrCreate(const std::string& source_path,
                                            std::string_view relative_path,
                                            const ThumbnailParams& params, const RenderFn& render);

  // GetOrCreate for a still image file: renders with RenderThumbnailPng(source_path, params).
  Result<std::filesystem::path> GetOrRenderImage(const std::string& source_path,
                                                 std::string_view relative_path,
                                                 const ThumbnailParams& params);

  // The entry's path when it exists and is fresh against source_path, else nullopt. Never renders
  // (the video route uses it to answer without touching the video decoder).
  std::optional<std::filesystem::path> FreshEntry(const std::string& source_path,
                                                  std::string_view relative_path,
                                                  const ThumbnailParams& params) const;

  // Number of renders this instance has run (tests prove single flight with it).
  int64_t RenderCountForTesting() const { return renders_.load(); }

 private:
  using Outcome = Result<std::filesystem::path>;

  Outcome RenderAndStore(const std::filesystem::path& target, int64_t source_mtime_ns,
                         const RenderFn& render);

  const std::filesystem::path dir_;
  const DecodeLimits limits_;
  std::atomic<int64_t> renders_{0};
  std::mutex mu_;
  std::unordered_map<std::string, std::shared_future<Outcome>> in_flight_;  // guarded by mu_
};

}  // namespace photomap::media
