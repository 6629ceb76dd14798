#include "http/album_routes.h"

#include <spdlog/spdlog.h>

#include <cmath>
#include <filesystem>

#include "config/album_json.h"
#include "config/album_patch.h"
#include "http/responses.h"
#include "map/album_map_service.h"
#include "map/cluster_eps.h"

namespace photomap::http {
namespace {

using config::Album;
using nlohmann::ordered_json;

// Returns the config snapshot or writes the config error (500 naming file and line).
std::shared_ptr<const config::Config> SnapshotOrFail(Services& s, httplib::Response& res) {
  auto snap = s.config->Snapshot();
  if (!snap.ok()) {
    SendError(res, snap.error());
    return nullptr;
  }
  return *snap;
}

bool CheckStatus(const Status& status, httplib::Response& res) {
  if (status.ok()) return true;
  SendError(res, status.error());
  return false;
}

std::string MaskKey(const std::string& key) {
  const std::string dot = "\u25CF";
  std::string out;
  if (key.size() <= 4) {
    for (size_t i = 0; i < key.size(); ++i) out += dot;
    return out;
  }
  for (size_t i = 0; i + 4 < key.size(); ++i) out += dot;
  return out + key.substr(key.size() - 4);
}

std::string Strip(const std::string& s) {
  size_t b = s.find_first_not_of(" \t\r\n");
  if (b == std::string::npos) return "";
  return s.substr(b, s.find_last_not_of(" \t\r\n") - b + 1);
}

void WarnMissingDirectories(const Album& album) {
  if (album.is_board()) return;
  for (const auto& p : album.image_paths) {
    std::error_code ec;
    if (!std::filesystem::is_directory(p, ec)) {
      spdlog::warn("album '{}': image folder {} does not exist (yet)", album.key, p);
    }
  }
}

void ListAlbums(Services& s, httplib::Response& res) {
  auto config = SnapshotOrFail(s, res);
  if (!config) return;
  ordered_json out = ordered_json::array();
  for (const auto& album : config->albums) {
    if (s.lock.Allows(album.key)) out.push_back(config::AlbumToPublicJson(album));
  }
  SendJson(res, 200, out);
}

void AddAlbum(Services& s, const httplib::Request& req, httplib::Response& res) {
  nlohmann::json body;
  if (!ParseJsonBody(req, res, &body)) return;
  if (!CheckStatus(s.lock.RequireNoLock(), res)) return;
  config::AlbumBuildOptions options;
  options.defaults = config::AlbumDefaults::kApi;
  options.default_encoder_spec = config::DefaultEncoderSpec(s.has_gpu);
  options.resolve_paths = true;
  auto album = config::AlbumFromJson(body, "", s.config->paths(), options);
  if (!album.ok()) return SendValidationErrors(res, album.issues);
  WarnMissingDirectories(*album.value);
  if (!CheckStatus(s.config->AddAlbum(*album.value), res)) return;
  SendJson(res, 201,
           ordered_json{{"success", true},
                        {"message", "Album '" + album.value->key + "' added successfully"}});
}

void UpdateAlbum(Services& s, const httplib::Request& req, httplib::Response& res) {
  nlohmann::json body;
  if (!ParseJsonBody(req, res, &body)) return;
  if (!CheckStatus(s.lock.RequireNoLock(), res)) return;
  if (!body.is_object()) return SendValidationErrors(res, {config::ModelTypeIssue(body)});
  config::FieldReader reader(body);
  auto key = reader.String("key", /*required=*/true);
  if (!reader.ok()) return SendValidationErrors(res, reader.issues());
  auto snapshot = SnapshotOrFail(s, res);
  if (!snapshot) return;
  const Album* existing = snapshot->FindAlbum(*key);
  if (existing == nullptr) return SendDetail(res, 404, "Album '" + *key + "' not found");
  auto patched = config::ApplyAlbumPatch(*existing, body, s.config->paths());
  if (!patched.ok()) return SendError(res, patched.error());
  if (!patched->album.ok()) return SendValidationErrors(res, patched->album.issues);
  WarnMissingDirectories(*patched->album.value);
  if (!CheckStatus(s.config->ReplaceAlbum(*patched->album.value), res)) return;
  SendJson(
      res, 200,
      ordered_json{{"success", true}, {"message", "Album '" + *key + "' updated successfully"}});
}

void DeleteAlbum(Services& s, const std::string& key, httplib::Response& res) {
  if (!CheckStatus(s.lock.RequireNoLock(), res)) return;
  auto snapshot = SnapshotOrFail(s, res);
  if (!snapshot) return;
  const Album* album = snapshot->FindAlbum(key);
  if (album == nullptr) return SendDetail(res, 404, "Album '" + key + "' not found");
  const Album removed = *album;
  if (!CheckStatus(s.config->DeleteAlbum(key), res)) return;
  // A board album's index lives in photomap's own data folder: remove it with the album.
  const std::string derived_dir = s.config->paths().user_data_dir + "/indexes/" + key;
  if (removed.is_board() && !s.config->paths().user_data_dir.empty() &&
      removed.index == derived_dir + "/embeddings.npz") {
    std::error_code ec;
    std::filesystem::remove_all(derived_dir, ec);
    if (ec) spdlog::warn("album '{}': could not remove {}: {}", key, derived_dir, ec.message());
  }
  SendJson(
      res, 200,
      ordered_json{{"success", true}, {"message", "Album '" + key + "' deleted successfully"}});
}

void GetLocationIqKey(Services& s, httplib::Response& res) {
  if (!CheckStatus(s.lock.RequireNoLock(), res)) return;
  auto config = SnapshotOrFail(s, res);
  if (!config) return;
  const std::string key = config->locationiq_api_key.value_or("");
  SendJson(res, 200,
           ordered_json{{"has_key", !key.empty()}, {"key", key.empty() ? "" : MaskKey(key)}});
}

void SetLocationIqKey(Services& s, const httplib::Request& req, httplib::Response& res) {
  nlohmann::json body;
  if (!ParseJsonBody(req, res, &body)) return;
  if (!CheckStatus(s.lock.RequireNoLock(), res)) return;
  if (!body.is_object()) return SendValidationErrors(res, {config::ModelTypeIssue(body)});
  config::FieldReader reader(body);
  auto key = reader.String("key", /*required=*/true);
  if (!reader.ok()) return SendValidationErrors(res, reader.issues());
  const std::string stripped = Strip(*key);
  Status saved = s.config->Update([&](config::Config& c) {
    c.locationiq_api_key = stripped.empty() ? std::nullopt : std::optional<std::string>(stripped);
    return Status::Ok();
  });
  if (!saved.ok()) {
    SendJson(res, 200, ordered_json{{"success", false}, {"message", saved.error().message}});
    return;
  }
  SendJson(res, 200, ordered_json{{"success", true}, {"message", "API key updated successfully"}});
}

void SetUmapEps(Services& s, const httplib::Request& req, httplib::Response& res) {
  nlohmann::json body;
  if (!ParseJsonBody(req, res, &body)) return;
  if (!CheckStatus(s.lock.RequireNoLock(), res)) return;
  if (!body.is_object()) return SendValidationErrors(res, {config::ModelTypeIssue(body)});
  config::FieldReader reader(body);
  auto album_key = reader.String("album", /*required=*/true);
  auto eps = reader.Float("eps");
  if (eps) {
    reader.Finite("eps", *eps);
    if (std::isfinite(*eps)) reader.GreaterEqual("eps", *eps, config::kMinClusterEps);
  }
  if (!reader.ok()) return SendValidationErrors(res, reader.issues());
  Status saved = s.config->Update([&](config::Config& c) -> Status {
    for (auto& a : c.albums) {
      if (a.key == *album_key) {
        a.umap_eps = eps;
        return Status::Ok();
      }
    }
    return NotFound("Album not found");
  });
  if (!CheckStatus(saved, res)) return;
  SendJson(
      res, 200,
      ordered_json{{"success", true}, {"eps", eps ? ordered_json(*eps) : ordered_json(nullptr)}});
}

void GetUmapEps(Services& s, const httplib::Request& req, httplib::Response& res) {
  nlohmann::json body;
  if (!ParseJsonBody(req, res, &body)) return;
  if (!body.is_object()) return SendValidationErrors(res, {config::ModelTypeIssue(body)});
  config::FieldReader reader(body);
  auto album_key = reader.String("album", /*required=*/true);
  if (!reader.ok()) return SendValidationErrors(res, reader.issues());
  if (!CheckStatus(s.lock.CheckAlbum(*album_key), res)) return;
  auto config = SnapshotOrFail(s, res);
  if (!config) return;
  const Album* album = config->FindAlbum(*album_key);
  if (album == nullptr) return SendDetail(res, 404, "Album not found");
  if (album->umap_eps) {
    SendJson(res, 200, ordered_json{{"success", true}, {"eps", *album->umap_eps}, {"auto", false}});
    return;
  }
  // The automatic value of the album's current map; 0.2 without an index (PhotoMapAI's default).
  const double eps = s.maps != nullptr
                         ? s.maps->AutomaticEps(*album, map::kDefaultClusterMinSamples)
                         : map::kFallbackClusterEps;
  SendJson(res, 200, ordered_json{{"success", true}, {"eps", eps}, {"auto", true}});
}

void ConfigStatus(Services& s, httplib::Response& res) {
  auto error = s.config->LoadError();
  SendJson(res, 200,
           ordered_json{{"ok", !error.has_value()},
                        {"path", s.config->path()},
                        {"error", error ? ordered_json(error->message) : ordered_json(nullptr)}});
}

}  // namespace

std::optional<Album> RequireAlbum(Services& s, const std::string& key, httplib::Response& res) {
  if (!CheckStatus(s.lock.CheckAlbum(key), res)) return std::nullopt;
  auto config = SnapshotOrFail(s, res);
  if (!config) return std::nullopt;
  const Album* album = config->FindAlbum(key);
  if (album == nullptr) {
    SendDetail(res, 404, "Album '" + key + "' not found");
    return std::nullopt;
  }
  return *album;
}

void AddAlbumRoutes(Router& r, Services& s) {
  r.Add("GET", "/available_albums/",
        [&s](const httplib::Request&, httplib::Response& res, const PathParams&) {
          ListAlbums(s, res);
        });
  r.Add("GET", "/default_encoder/",
        [&s](const httplib::Request&, httplib::Response& res, const PathParams&) {
          SendJson(res, 200, ordered_json{{"encoder_spec", config::DefaultEncoderSpec(s.has_gpu)}});
        });
  r.Add("GET", "/album/{album_key}/",
        [&s](const httplib::Request&, httplib::Response& res, const PathParams& p) {
          if (auto album = RequireAlbum(s, p.at("album_key"), res)) {
            SendJson(res, 200, config::AlbumToPublicJson(*album));
          }
        });
  r.Add("POST", "/add_album/",
        [&s](const httplib::Request& req, httplib::Response& res, const PathParams&) {
          AddAlbum(s, req, res);
        });
  r.Add("POST", "/update_album/",
        [&s](const httplib::Request& req, httplib::Response& res, const PathParams&) {
          UpdateAlbum(s, req, res);
        });
  r.Add("DELETE", "/delete_album/{album_key}",
        [&s](const httplib::Request&, httplib::Response& res, const PathParams& p) {
          DeleteAlbum(s, p.at("album_key"), res);
        });
  r.Add("GET", "/locationiq_key/",
        [&s](const httplib::Request&, httplib::Response& res, const PathParams&) {
          GetLocationIqKey(s, res);
        });
  r.Add("POST", "/locationiq_key/",
        [&s](const httplib::Request& req, httplib::Response& res, const PathParams&) {
          SetLocationIqKey(s, req, res);
        });
  r.Add("POST", "/set_umap_eps/",
        [&s](const httplib::Request& req, httplib::Response& res, const PathParams&) {
          SetUmapEps(s, req, res);
        });
  r.Add("POST", "/get_umap_eps/",
        [&s](const httplib::Request& req, httplib::Response& res, const PathParams&) {
          GetUmapEps(s, req, res);
        });
  r.Add("GET", "/config_status/",
        [&s](const httplib::Request&, httplib::Response& res, const PathParams&) {
          ConfigStatus(s, res);
        });
}

}  // namespace photomap::http
