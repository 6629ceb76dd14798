#include "http/file_operation_routes.h"

#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <ctime>

#include <filesystem>
#include <set>

#include <spdlog/spdlog.h>

#include "http/album_index_access.h"
#include "http/album_routes.h"
#include "http/responses.h"
#include "http/trash_can.h"
#include "http/zip_stream.h"
#include "index/album_indexes.h"
#include "index/index_store.h"
#include "media/file_access.h"
#include "scan/media_types.h"

namespace photomap::http {
namespace {

namespace fs = std::filesystem;
using nlohmann::ordered_json;
using Req = httplib::Request;
using Res = httplib::Response;

media::AllowedMedia AllowedFor(const index::ImageRecord& row) {
  return row.media_type == "video" ? media::AllowedMedia::kVideos : media::AllowedMedia::kImages;
}

// Removes one file (trash or unlink). Errors carry PhotoMapAI's translated messages.
Status RemoveFile(const std::string& path, bool to_trash, const Services& s) {
  const std::string name = fs::path(path).filename().string();
  if (to_trash) {
    Status st = MoveToTrash(path, s.trash_dir);
    if (st.ok()) return st;
    if (st.error().kind == ErrorKind::kPermissionDenied) {
      return PermissionDenied("Cannot move '" + name +
                              "' to the trash: permission denied creating or writing the trash "
                              "folder. Fix its permissions, or switch \"When deleting\" to \"Just "
                              "Delete\" in Settings to delete the file permanently.");
    }
    return IoError("Could not move to the trash '" + name + "': " + st.error().message +
                   ". Switching \"When deleting\" to \"Just Delete\" in Settings may help.");
  }
  if (::unlink(path.c_str()) != 0) {
    if (errno == EACCES || errno == EPERM) {
      return PermissionDenied("Cannot delete '" + name +
                              "': permission denied. The PhotoMap server needs write permission "
                              "on the image file and its containing folder.");
    }
    return IoError("Could not delete '" + name + "': " + std::strerror(errno) + ".");
  }
  return Status::Ok();
}

Status DropRows(const config::Album& album, const std::vector<int64_t>& ids) {
  if (ids.empty()) return Status::Ok();
  auto store = index::IndexStore::Open(index::DatabasePathForIndex(album.index));
  if (!store.ok()) return store.error();
  return (*store)->RemoveRows(ids);
}

bool TrashParam(const Req& req) {
  if (!req.has_param("move_to_trash")) return true;
  const std::string v = req.get_param_value("move_to_trash");
  return !(v == "false" || v == "0" || v == "no" || v == "off");
}

void DeleteOne(Services& s, const Req& req, Res& res, const PathParams& p) {
  if (auto st = s.lock.RequireNoLock(); !st.ok()) return SendError(res, st.error());
  auto album = RequireAlbum(s, p.at("album_key"), res);
  if (!album) return;
  auto snapshot = RequireSnapshot(s, *album, res);
  if (!snapshot) return;
  auto pos = RequirePosition(p.at("index"), *snapshot, res, "File not found");
  if (!pos) return;
  const auto& row = snapshot->AtPosition(*pos);
  auto grant = media::CheckFileAccess(album->image_paths, row.path, AllowedFor(row));
  if (!grant.ok()) return SendError(res, grant.error());
  if (auto st = RemoveFile(grant->path, TrashParam(req), s); !st.ok())
    return SendError(res, st.error());
  if (auto st = DropRows(*album, {row.id}); !st.ok()) return SendError(res, st.error());
  SendJson(res, 200, ordered_json{{"success", true}, {"message", "Deleted " + row.path}});
}

// Reads {"indices": [int], ...}; writes 400/422 and returns false when malformed.
bool ReadIndices(const nlohmann::json& body, Res& res, std::vector<long long>* out) {
  if (!body.is_object() || !body.contains("indices") || !body["indices"].is_array()) {
    SendValidationErrors(res,
                         {config::FieldIssue{"missing", ordered_json::array({"body", "indices"}),
                                             "Field required", ordered_json(body), nullptr}});
    return false;
  }
  for (const auto& v : body["indices"]) {
    if (v.is_number_integer()) out->push_back(v.get<long long>());
  }
  return true;
}

constexpr uint64_t kMaxZipBytes = 2'000'000'000;

// PhotoMapAI's size text in the 413 message: "2.1 GB", "950 MB", "512 bytes".
std::string SizeText(uint64_t bytes) {
  char buf[64];
  if (bytes >= 1'000'000'000) {
    std::snprintf(buf, sizeof(buf), "%.1f GB", static_cast<double>(bytes) / 1e9);
  } else if (bytes >= 1'000'000) {
    std::snprintf(buf, sizeof(buf), "%.0f MB", static_cast<double>(bytes) / 1e6);
  } else {
    std::snprintf(buf, sizeof(buf), "%llu bytes", static_cast<unsigned long long>(bytes));
  }
  return buf;
}

struct ZipItem {
  std::string path, name;
  bool video = false;
  std::time_t mtime = 0;
};

// download_images_zip: the selected files, streamed as they are compressed (images deflated,
// videos stored); bad, denied or missing indices are skipped; no index → an empty archive.
void DownloadZip(Services& s, const Req& req, Res& res, const std::string& key) {
  auto album = RequireAlbum(s, key, res);
  if (!album) return;
  nlohmann::json body;
  if (!ParseJsonBody(req, res, &body)) return;
  std::vector<long long> indices;
  if (!ReadIndices(body, res, &indices)) return;
  std::shared_ptr<const index::IndexSnapshot> snapshot;
  if (s.indexes != nullptr) {
    auto got = s.indexes->Get(album->index);
    if (got.ok()) snapshot = *got;
  }
  std::vector<ZipItem> items;
  uint64_t total = 0;
  for (long long i : indices) {
    if (!snapshot || i < 0 || static_cast<size_t>(i) >= snapshot->size()) continue;
    const auto& row = snapshot->AtPosition(static_cast<size_t>(i));
    auto grant = media::CheckFileAccess(album->image_paths, row.path, AllowedFor(row));
    if (!grant.ok()) continue;
    struct stat st {};
    if (::stat(grant->path.c_str(), &st) != 0 || !S_ISREG(st.st_mode)) continue;
    total += static_cast<uint64_t>(st.st_size);
    items.push_back(ZipItem{grant->path, fs::path(grant->path).filename().string(),
                            row.media_type == "video", st.st_mtime});
  }
  if (total > kMaxZipBytes) {
    return SendDetail(res, 413,
                      "That selection is " + SizeText(total) +
                          ", over the 2.0 GB download limit. Select fewer files, or copy them "
                          "to a folder instead.");
  }
  if (items.size() > 65535) {
    return SendDetail(res, 413, "That selection has more than 65,535 files. Select fewer files.");
  }
  res.status = 200;
  res.set_header("Content-Disposition", "attachment; filename=" + key + "_images.zip");
  res.set_chunked_content_provider(
      "application/zip", [items = std::move(items)](size_t, httplib::DataSink& sink) {
        ZipStreamWriter zip([&sink](const char* data, size_t size) {
          return sink.is_writable() && sink.write(data, size);
        });
        for (const auto& item : items) {
          Status added = zip.AddFile(item.name, item.path, !item.video, item.mtime);
          if (added.ok()) continue;
          if (added.error().kind != ErrorKind::kIo || zip.bytes_written() == 0) {
            spdlog::warn("zip download stopped: {}", added.error().message);
            return false;
          }
          spdlog::warn("zip download: skipped {}", added.error().message);
        }
        if (!zip.Finish().ok()) return false;
        sink.done();
        return true;
      });
}

void DeleteMany(Services& s, const Req& req, Res& res, const std::string& key) {
  if (auto st = s.lock.RequireNoLock(); !st.ok()) return SendError(res, st.error());
  auto album = RequireAlbum(s, key, res);
  if (!album) return;
  nlohmann::json body;
  if (!ParseJsonBody(req, res, &body)) return;
  std::vector<long long> indices;
  if (!ReadIndices(body, res, &indices)) return;
  if (indices.empty()) return SendDetail(res, 400, "No indices provided");
  const bool to_trash = !body.contains("move_to_trash") || !body["move_to_trash"].is_boolean() ||
                        body["move_to_trash"].get<bool>();
  auto snapshot = RequireSnapshot(s, *album, res);
  if (!snapshot) return;
  std::set<long long> unique(indices.begin(), indices.end());
  ordered_json deleted = ordered_json::array(), files = ordered_json::array(),
               errors = ordered_json::array();
  std::vector<int64_t> ids;
  for (long long i : unique) {
    const std::string label = "Index " + std::to_string(i) + ": ";
    if (i < 0 || static_cast<size_t>(i) >= snapshot->size()) {
      errors.push_back(label + "out of range");
      continue;
    }
    const auto& row = snapshot->AtPosition(static_cast<size_t>(i));
    auto grant = media::CheckFileAccess(album->image_paths, row.path, AllowedFor(row));
    if (!grant.ok()) {
      errors.push_back(label + grant.error().message);
      continue;
    }
    if (auto st = RemoveFile(grant->path, to_trash, s); !st.ok()) {
      errors.push_back(label + st.error().message);
      continue;
    }
    ids.push_back(row.id);
    deleted.push_back(i);
    files.push_back(fs::path(row.path).filename().string());
  }
  if (auto st = DropRows(*album, ids); !st.ok()) return SendError(res, st.error());
  ordered_json out{{"success", !ids.empty() || errors.empty()},
                   {"deleted_count", ids.size()},
                   {"deleted_indices", deleted},
                   {"deleted_files", files}};
  if (!errors.empty()) {
    out["errors"] = errors;
    out["error_count"] = errors.size();
  }
  SendJson(res, 200, out);
}

// Shared by move and copy: the target directory checks of §1.3.
bool CheckTarget(const std::string& target, Res& res) {
  std::error_code ec;
  if (!fs::exists(target, ec))
    return SendDetail(res, 400, "Target directory does not exist"), false;
  if (!fs::is_directory(target, ec))
    return SendDetail(res, 400, "Target path is not a directory"), false;
  if (::access(target.c_str(), W_OK) != 0) {
    return SendDetail(res, 403, "Target directory is not writable"), false;
  }
  return true;
}

void MoveOrCopy(Services& s, const Req& req, Res& res, const std::string& key, bool move) {
  if (move) {
    if (auto st = s.lock.RequireNoLock(); !st.ok()) return SendError(res, st.error());
  }
  auto album = RequireAlbum(s, key, res);
  if (!album) return;
  if (move && album->is_board()) {
    return SendDetail(res, 400, "Moving images is not supported for InvokeAI board albums");
  }
  nlohmann::json body;
  if (!ParseJsonBody(req, res, &body)) return;
  std::vector<long long> indices;
  if (!ReadIndices(body, res, &indices)) return;
  if (!body.contains("target_directory") || !body["target_directory"].is_string()) {
    return SendValidationErrors(
        res, {config::FieldIssue{"missing", ordered_json::array({"body", "target_directory"}),
                                 "Field required", ordered_json(body), nullptr}});
  }
  const std::string target = body["target_directory"].get<std::string>();
  if (!CheckTarget(target, res)) return;
  auto snapshot = RequireSnapshot(s, *album, res);
  if (!snapshot) return;
  std::unique_ptr<index::IndexStore> store;
  if (move) {
    auto opened = index::IndexStore::Open(index::DatabasePathForIndex(album->index));
    if (!opened.ok()) return SendError(res, opened.error());
    store = std::move(opened).value();
  }
  std::error_code ec;
  const fs::path target_dir = fs::weakly_canonical(target, ec);
  ordered_json done = ordered_json::array(), same = ordered_json::array(),
               errors = ordered_json::array();
  for (long long i : indices) {
    if (i < 0 || static_cast<size_t>(i) >= snapshot->size()) {
      errors.push_back("Index " + std::to_string(i) + ": out of range");
      continue;
    }
    const auto& row = snapshot->AtPosition(static_cast<size_t>(i));
    const std::string name = fs::path(row.path).filename().string();
    auto grant = media::CheckFileAccess(album->image_paths, row.path, AllowedFor(row));
    if (!grant.ok()) {
      errors.push_back(name + ": " + grant.error().message);
      continue;
    }
    const fs::path dest = target_dir / name;
    if (move && fs::path(grant->path).parent_path() == target_dir) {
      same.push_back(name);
      continue;
    }
    if (fs::exists(dest, ec)) {
      errors.push_back(name + ": File already exists in target directory");
      continue;
    }
    if (move) {
      fs::rename(grant->path, dest, ec);
      if (ec == std::errc::cross_device_link) {
        ec.clear();
        fs::copy_file(grant->path, dest, ec);
        if (!ec) fs::last_write_time(dest, fs::last_write_time(grant->path), ec);
        if (!ec) fs::remove(grant->path, ec);
      }
      if (!ec) {
        if (auto st = store->UpdatePath(row.id, dest.string()); !st.ok())
          ec = std::make_error_code(std::errc::io_error);
      }
    } else {
      fs::copy_file(grant->path, dest, ec);
      if (!ec) fs::last_write_time(dest, fs::last_write_time(grant->path), ec);  // as copy2
    }
    if (ec) {
      errors.push_back(name + ": " + ec.message());
      continue;
    }
    done.push_back(name);
  }
  ordered_json out;
  if (move) {
    out = {{"success", !done.empty() || errors.empty()},
           {"moved_count", done.size()},
           {"moved_files", done}};
    if (!same.empty()) {
      out["same_folder_files"] = same;
      out["same_folder_count"] = same.size();
    }
  } else {
    out = {{"success", !done.empty()}, {"copied_count", done.size()}, {"copied_files", done}};
  }
  if (!errors.empty()) {
    out["errors"] = errors;
    out["error_count"] = errors.size();
  }
  SendJson(res, 200, out);
}

}  // namespace

void AddFileOperationRoutes(Router& r, Services& s) {
  r.Add("DELETE", "/delete_image/{album_key}/{index}",
        [&s](const Req& req, Res& res, const PathParams& p) { DeleteOne(s, req, res, p); });
  r.Add("POST", "/delete_images/{album_key}", [&s](const Req& req, Res& res, const PathParams& p) {
    DeleteMany(s, req, res, p.at("album_key"));
  });
  r.Add("POST", "/download_images_zip/{album_key}",
        [&s](const Req& req, Res& res, const PathParams& p) {
          DownloadZip(s, req, res, p.at("album_key"));
        });
  r.Add("POST", "/move_images/{album_key}", [&s](const Req& req, Res& res, const PathParams& p) {
    MoveOrCopy(s, req, res, p.at("album_key"), true);
  });
  r.Add("POST", "/copy_images/{album_key}", [&s](const Req& req, Res& res, const PathParams& p) {
    MoveOrCopy(s, req, res, p.at("album_key"), false);
  });
}

}  // namespace photomap::http
