#include "http/media_routes.h"

#include <filesystem>
#include <map>
#include <memory>
#include <mutex>

#include "http/album_index_access.h"
#include "http/album_routes.h"
#include "http/file_response.h"
#include "http/responses.h"
#include "media/file_access.h"
#include "media/thumbnail_cache.h"
#include "media/thumbnail_renderer.h"
#include "media/video_still_cache.h"
#include "scan/media_types.h"

namespace photomap::http {
namespace {

namespace fs = std::filesystem;
using Req = httplib::Request;
using Res = httplib::Response;

// One thumbnail cache per album index directory and one still cache per album, so concurrent
// requests for one entry render once.
class MediaCaches {
 public:
  explicit MediaCaches(std::string still_root) : still_root_(std::move(still_root)) {}

  media::ThumbnailCache& Thumbnails(const config::Album& album) {
    const fs::path dir = fs::path(album.index).parent_path() / "thumbnails";
    std::lock_guard lock(mu_);
    auto& slot = thumbs_[dir.string()];
    if (!slot) slot = std::make_unique<media::ThumbnailCache>(dir);
    return *slot;
  }

  media::VideoStillCache& Stills(const config::Album& album) {
    const fs::path dir =
        fs::path(still_root_) / fs::path(album.index).parent_path().parent_path().filename();
    std::lock_guard lock(mu_);
    auto& slot = stills_[dir.string()];
    if (!slot) slot = std::make_unique<media::VideoStillCache>(media::VideoStillCacheOptions{dir});
    return *slot;
  }

 private:
  const std::string still_root_;
  std::mutex mu_;
  std::map<std::string, std::unique_ptr<media::ThumbnailCache>> thumbs_;
  std::map<std::string, std::unique_ptr<media::VideoStillCache>> stills_;
};

std::optional<long long> QueryInt(const Req& req, const char* name, bool* bad) {
  if (!req.has_param(name)) return std::nullopt;
  const std::string v = req.get_param_value(name);
  try {
    size_t used = 0;
    long long n = std::stoll(v, &used);
    if (used == v.size()) return n;
  } catch (...) {
  }
  *bad = true;
  return std::nullopt;
}

void SendPng(Res& res, std::string png, bool no_store) {
  if (no_store) res.set_header("Cache-Control", "no-store");
  res.set_content(std::move(png), "image/png");
}

void Thumbnail(Services& s, MediaCaches& caches, const Req& req, Res& res, const PathParams& p) {
  auto album = RequireAlbum(s, p.at("album_key"), res);
  if (!album) return;
  bool bad = false;
  auto size = QueryInt(req, "size", &bad);
  if (bad) return SendDetail(res, 400, "Invalid thumbnail size");
  auto radius = QueryInt(req, "radius", &bad);
  if (bad) return SendDetail(res, 400, "Invalid thumbnail radius");
  std::optional<std::string> color;
  if (req.has_param("color")) color = req.get_param_value("color");
  auto params = media::ParseThumbnailParams(size, radius, color);
  if (!params.ok()) return SendError(res, params.error());
  auto snapshot = RequireSnapshot(s, *album, res);
  if (!snapshot) return;
  auto pos = RequirePosition(p.at("index"), *snapshot, res,
                             "Image not found for index " + p.at("index") + ": index out of range");
  if (!pos) return;
  const auto& row = snapshot->AtPosition(*pos);
  const bool video = row.media_type == "video";
  auto grant =
      media::CheckFileAccess(album->image_paths, row.path,
                             video ? media::AllowedMedia::kVideos : media::AllowedMedia::kImages);
  if (!grant.ok()) return SendError(res, grant.error());
  const std::string rel = RelativeToAlbum(*album, row.path);
  auto& cache = caches.Thumbnails(*album);
  Result<fs::path> file = NotFound("not rendered");
  if (video) {
    if (auto fresh = cache.FreshEntry(grant->path, rel, *params)) {
      file = *fresh;
    } else {
      auto still = caches.Stills(*album).Ensure(grant->path);
      if (!still.ok()) return SendPng(res, media::RenderVideoPlaceholderPng(params->size), true);
      const std::string still_path = still->string();
      file = cache.GetOrCreate(grant->path, rel, *params,
                               [&]() { return media::RenderThumbnailPng(still_path, *params); });
    }
  } else {
    file = cache.GetOrRenderImage(grant->path, rel, *params);
  }
  if (!file.ok()) return SendDetail(res, 500, "Thumbnail error: " + file.error().message);
  SendFile(req, res, file->string(), FileResponseOptions{"image/png", "", ""});
}

void VideoFrame(Services& s, MediaCaches& caches, const Req& req, Res& res, const PathParams& p) {
  auto album = RequireAlbum(s, p.at("album_key"), res);
  if (!album) return;
  auto snapshot = RequireSnapshot(s, *album, res);
  if (!snapshot) return;
  auto pos = RequirePosition(p.at("index"), *snapshot, res,
                             "Image not found for index " + p.at("index") + ": index out of range");
  if (!pos) return;
  const auto& row = snapshot->AtPosition(*pos);
  if (row.media_type != "video")
    return SendDetail(res, 404, "Index " + p.at("index") + " is not a video");
  auto grant = media::CheckFileAccess(album->image_paths, row.path, media::AllowedMedia::kVideos);
  if (!grant.ok()) return SendError(res, grant.error());
  auto still = caches.Stills(*album).Ensure(grant->path);
  if (!still.ok()) return SendPng(res, media::RenderVideoPlaceholderPng(1024), true);
  SendFile(req, res, still->string(), FileResponseOptions{"image/jpeg", "no-cache", ""});
}

void Images(Services& s, const Req& req, Res& res, const PathParams& p) {
  auto album = RequireAlbum(s, p.at("album_key"), res);
  if (!album) return;
  auto grant =
      media::CheckFileAccess(album->image_paths, p.at("path"), media::AllowedMedia::kImages);
  if (!grant.ok()) return SendError(res, grant.error());
  const std::string suffix = scan::LowerSuffix(grant->path);
  if (suffix == ".heic" || suffix == ".heif") {
    // Browsers cannot show HEIF: convert (upright, long side at most 2048 px) to PNG.
    media::ThumbnailParams params;
    params.size = media::kMaxThumbnailSize;
    params.radius = 0;
    auto png = media::RenderThumbnailPng(grant->path, params);
    if (!png.ok()) return SendError(res, png.error());
    return SendPng(res, std::move(png).value(), false);
  }
  SendFile(req, res, grant->path);
}

void Videos(Services& s, const Req& req, Res& res, const PathParams& p) {
  auto album = RequireAlbum(s, p.at("album_key"), res);
  if (!album) return;
  if (p.at("path").find('\0') != std::string::npos) return SendDetail(res, 404, "Video not found");
  auto grant =
      media::CheckFileAccess(album->image_paths, p.at("path"), media::AllowedMedia::kVideos);
  if (!grant.ok()) return SendError(res, grant.error());
  SendFile(req, res, grant->path,
           FileResponseOptions{std::string(scan::VideoMimeType(grant->path)),
                               "private, max-age=3600", ""});
}

void ImageByName(Services& s, const Req& req, Res& res, const PathParams& p) {
  auto album = RequireAlbum(s, p.at("album_key"), res);
  if (!album) return;
  const std::string name = p.at("filename");
  if (!scan::IsImageSuffix(scan::LowerSuffix(name)))
    return SendDetail(res, 403, "Unsupported image type");
  auto snapshot = RequireSnapshot(s, *album, res);
  if (!snapshot) return;
  for (size_t pos = 0; pos < snapshot->size(); ++pos) {
    const auto& row = snapshot->AtPosition(pos);
    if (fs::path(row.path).filename().string() != name) continue;
    auto grant = media::CheckFileAccess(album->image_paths, row.path, media::AllowedMedia::kImages);
    if (!grant.ok()) return SendError(res, grant.error());
    SendFile(req, res, grant->path);
    return;
  }
  SendDetail(res, 404, "Image not found");
}

}  // namespace

void AddMediaRoutes(Router& r, Services& s) {
  auto caches = std::make_shared<MediaCaches>(s.video_still_root);
  r.Add("GET", "/thumbnails/{album_key}/{index}",
        [&s, caches](const Req& req, Res& res, const PathParams& p) {
          Thumbnail(s, *caches, req, res, p);
        });
  r.Add("GET", "/video_frame/{album_key}/{index}",
        [&s, caches](const Req& req, Res& res, const PathParams& p) {
          VideoFrame(s, *caches, req, res, p);
        });
  r.Add("GET", "/images/{album_key}/{path:path}",
        [&s](const Req& req, Res& res, const PathParams& p) { Images(s, req, res, p); });
  r.Add("GET", "/videos/{album_key}/{path:path}",
        [&s](const Req& req, Res& res, const PathParams& p) { Videos(s, req, res, p); });
  r.Add("GET", "/image_by_name/{album_key}/{filename:path}",
        [&s](const Req& req, Res& res, const PathParams& p) { ImageByName(s, req, res, p); });
}

}  // namespace photomap::http
