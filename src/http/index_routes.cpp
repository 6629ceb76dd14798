#include "http/index_routes.h"

#include <sys/stat.h>

#include <filesystem>

#include "http/album_routes.h"
#include "http/responses.h"
#include "index/album_indexes.h"
#include "index/index_store.h"
#include "index/job_queue.h"
#include "scan/media_types.h"

namespace photomap::http {
namespace {

using nlohmann::ordered_json;
using Req = httplib::Request;
using Res = httplib::Response;

template <typename T>
ordered_json OrNull(const std::optional<T>& v) {
  return v ? ordered_json(*v) : ordered_json(nullptr);
}

bool Check(const Status& s, Res& res) {
  if (s.ok()) return true;
  SendError(res, s.error());
  return false;
}

void UpdateIndexAsync(Services& s, const Req& req, Res& res) {
  nlohmann::json body;
  if (!ParseJsonBody(req, res, &body)) return;
  if (!Check(s.lock.RequireNoLock(), res)) return;
  if (!body.is_object() || !body.contains("album_key") || !body["album_key"].is_string()) {
    SendValidationErrors(res,
                         {config::FieldIssue{"missing", ordered_json::array({"body", "album_key"}),
                                             "Field required", ordered_json(body), nullptr}});
    return;
  }
  const std::string key = body["album_key"].get<std::string>();
  // 409 before the existence check, as PhotoMapAI.
  if (s.jobs->Active(key)) {
    SendDetail(res, 409, "Index update already running for album '" + key + "'");
    return;
  }
  auto album = RequireAlbum(s, key, res);
  if (!album) return;
  if (!Check(s.jobs->Submit(*album), res)) return;
  SendJson(res, 202,
           ordered_json{{"success", true},
                        {"message", "Index update for album '" + key + "' started in background"},
                        {"album_key", key},
                        {"task_id", key}});
}

double LastModified(const std::string& album_index) {
  double latest = 0;
  for (const std::string& p :
       {index::DatabasePathForIndex(album_index),
        (std::filesystem::path(album_index).parent_path() / "last_updated").string()}) {
    struct stat st {};
    if (::stat(p.c_str(), &st) == 0) {
      latest = std::max(latest, st.st_mtim.tv_sec + st.st_mtim.tv_nsec * 1e-9);
    }
  }
  return latest;
}

void IndexMetadata(Services& s, const config::Album& album, Res& res) {
  auto snapshot = s.indexes->Get(album.index);
  if (!snapshot.ok()) {
    SendError(res, snapshot.error());
    return;
  }
  size_t videos = 0;
  for (size_t i = 0; i < (*snapshot)->size(); ++i) {
    if (scan::IsVideoSuffix(scan::LowerSuffix((*snapshot)->Row(i).path))) ++videos;
  }
  const size_t count = (*snapshot)->size();
  SendJson(res, 200,
           ordered_json{{"filename_count", count},
                        {"embeddings_path", album.index},
                        {"last_modified", LastModified(album.index)},
                        {"image_count", count - videos},
                        {"video_count", videos}});
}

void RemoveIndex(Services& s, const std::string& key, Res& res) {
  if (!Check(s.lock.RequireNoLock(), res)) return;
  auto album = RequireAlbum(s, key, res);
  if (!album) return;
  if (s.jobs->Active(key)) {
    SendDetail(res, 409, "Index update already running for album '" + key + "'; cancel it first");
    return;
  }
  const std::string db = index::DatabasePathForIndex(album->index);
  std::error_code ec;
  if (!std::filesystem::exists(db, ec)) {
    SendDetail(res, 404, "Index file does not exist");
    return;
  }
  for (const char* suffix : {"", "-wal", "-shm"}) std::filesystem::remove(db + suffix, ec);
  if (std::filesystem::exists(db, ec)) {
    SendDetail(res, 500, "Failed to remove index: " + ec.message());
    return;
  }
  s.indexes->Drop(album->index);  // backend-spec §12.9, fixed
  SendJson(res, 200,
           ordered_json{{"success", true}, {"message", "Removed index for album '" + key + "'"}});
}

}  // namespace

ordered_json ProgressJson(const index::ProgressView& v) {
  return ordered_json{{"album_key", v.album_key},
                      {"status", index::JobStatusName(v.status)},
                      {"current_step", v.current_step},
                      {"images_processed", v.images_processed},
                      {"total_images", v.total_images == 0 ? int64_t{1} : v.total_images},
                      {"progress_percentage", v.progress_percentage},
                      {"elapsed_time", v.elapsed_time},
                      {"estimated_time_remaining", OrNull(v.estimated_time_remaining)},
                      {"error_message", OrNull(v.error_message)},
                      {"warning_message", OrNull(v.warning_message)}};
}

void AddIndexRoutes(Router& r, Services& s) {
  r.Add("POST", "/update_index_async/",
        [&s](const Req& req, Res& res, const PathParams&) { UpdateIndexAsync(s, req, res); });
  r.Add("GET", "/index_progress/{album_key}", [&s](const Req&, Res& res, const PathParams& p) {
    if (auto album = RequireAlbum(s, p.at("album_key"), res)) {
      SendJson(res, 200, ProgressJson(s.progress->Get(album->key)));
    }
  });
  r.Add("DELETE", "/cancel_index/{album_key}", [&s](const Req&, Res& res, const PathParams& p) {
    auto album = RequireAlbum(s, p.at("album_key"), res);
    if (!album || !Check(s.jobs->Cancel(album->key), res)) return;
    SendJson(res, 200,
             ordered_json{{"success", true},
                          {"message", "Index operation for album '" + album->key + "' cancelled"},
                          {"album_key", album->key}});
  });
  r.Add("GET", "/index_exists/{album_key}", [&s](const Req&, Res& res, const PathParams& p) {
    if (auto album = RequireAlbum(s, p.at("album_key"), res)) {
      SendJson(res, 200, ordered_json{{"exists", index::AlbumIndexes::Exists(album->index)}});
    }
  });
  r.Add("GET", "/index_metadata/{album_key}", [&s](const Req&, Res& res, const PathParams& p) {
    if (auto album = RequireAlbum(s, p.at("album_key"), res)) IndexMetadata(s, *album, res);
  });
  r.Add("DELETE", "/remove_index/{album_key}", [&s](const Req&, Res& res, const PathParams& p) {
    RemoveIndex(s, p.at("album_key"), res);
  });
  // photomap addition: which files the last run skipped, and why (docs/api.md).
  r.Add("GET", "/index_failures/{album_key}", [&s](const Req&, Res& res, const PathParams& p) {
    auto album = RequireAlbum(s, p.at("album_key"), res);
    if (!album) return;
    ordered_json files = ordered_json::array();
    for (const auto& f : s.progress->FailedFiles(album->key)) {
      files.push_back(ordered_json{{"path", f.path}, {"reason", f.reason}});
    }
    SendJson(res, 200, ordered_json{{"album_key", album->key}, {"failed_files", files}});
  });
}

}  // namespace photomap::http
