#include "http/map_routes.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

#include <nlohmann/json.hpp>

#include "config/validation.h"
#include "http/album_routes.h"
#include "http/responses.h"
#include "map/album_map_service.h"
#include "map/cluster_eps.h"

namespace photomap::http {

namespace {

using nlohmann::ordered_json;

struct MapQuery {
  std::optional<double> cluster_eps;
  int min_samples = map::kDefaultClusterMinSamples;
  int top_k = 3;
};

// Reads the query parameters with pydantic's rules, issues located at ["query", name]. Writes
// 422 and returns nullopt on any issue.
std::optional<MapQuery> ParseMapQuery(const httplib::Request& req, httplib::Response& res,
                                      bool with_eps) {
  nlohmann::json params = nlohmann::json::object();
  for (const char* name : {"cluster_eps", "cluster_min_samples", "top_k"}) {
    if (req.has_param(name)) params[name] = req.get_param_value(name);
  }
  config::FieldReader reader(params);
  MapQuery query;
  if (with_eps) {
    query.cluster_eps = reader.Float("cluster_eps");
    if (query.cluster_eps) {
      reader.Finite("cluster_eps", *query.cluster_eps);
      if (std::isfinite(*query.cluster_eps)) {
        reader.GreaterEqual("cluster_eps", *query.cluster_eps, map::kMinClusterEps);
      }
    }
    if (auto ms = reader.Int("cluster_min_samples")) {
      reader.GreaterEqual("cluster_min_samples", static_cast<double>(*ms), 1);
      query.min_samples = static_cast<int>(std::min<int64_t>(*ms, 1'000'000));
    }
  }
  if (auto k = reader.Int("top_k")) {
    reader.GreaterEqual("top_k", static_cast<double>(*k), 1);
    query.top_k = static_cast<int>(std::min<int64_t>(*k, 100));
  }
  if (!reader.ok()) {
    for (auto& issue : reader.issues()) {
      if (issue.loc.is_array() && !issue.loc.empty()) issue.loc[0] = "query";
    }
    SendValidationErrors(res, reader.issues());
    return std::nullopt;
  }
  return query;
}

bool RequireMaps(Services& s, httplib::Response& res) {
  if (s.maps != nullptr) return true;
  SendDetail(res, 404, "Not Found");
  return false;
}

void AppendFloat(std::string& out, float value) {
  char buf[32];
  std::snprintf(buf, sizeof(buf), "%.9g", static_cast<double>(value));
  out += buf;
}

// [{"x","y","index","cluster","media"}…] in raw row order, written directly: at 100k points this
// is most of the route's time.
std::string UmapDataJson(const map::ClusteredMap& clustered) {
  const index::IndexSnapshot& snapshot = *clustered.layout->snapshot;
  std::string out;
  out.reserve(snapshot.size() * 72 + 2);
  out += '[';
  for (size_t row = 0; row < snapshot.size(); ++row) {
    if (row > 0) out += ',';
    out += "{\"x\":";
    AppendFloat(out, clustered.layout->xy[row * 2]);
    out += ",\"y\":";
    AppendFloat(out, clustered.layout->xy[row * 2 + 1]);
    out += ",\"index\":" + std::to_string(snapshot.PositionOfRow(row));
    out += ",\"cluster\":" + std::to_string((*clustered.labels)[row]);
    out +=
        snapshot.Row(row).media_type == "video" ? ",\"media\":\"video\"}" : ",\"media\":\"image\"}";
  }
  out += ']';
  return out;
}

void UmapData(Services& s, const httplib::Request& req, httplib::Response& res,
              const std::string& album_key) {
  auto album = RequireAlbum(s, album_key, res);
  if (!album || !RequireMaps(s, res)) return;
  auto query = ParseMapQuery(req, res, /*with_eps=*/true);
  if (!query) return;
  auto clustered = s.maps->Clusters(*album, query->cluster_eps, query->min_samples);
  if (!clustered.ok()) return SendError(res, clustered.error());
  res.status = 200;
  res.set_content(UmapDataJson(*clustered), "application/json");
}

ordered_json MatchJson(const map::PhraseMatch& match) {
  return ordered_json{{"label", match.label},
                      {"alternates", match.alternates},
                      {"score", static_cast<double>(match.score)}};
}

void ClusterLabels(Services& s, const httplib::Request& req, httplib::Response& res,
                   const std::string& album_key) {
  auto album = RequireAlbum(s, album_key, res);
  if (!album || !RequireMaps(s, res)) return;
  auto query = ParseMapQuery(req, res, /*with_eps=*/true);
  if (!query) return;
  auto labels = s.maps->Labels(*album, query->cluster_eps, query->min_samples, query->top_k);
  if (!labels.ok()) return SendError(res, labels.error());
  const index::IndexSnapshot& snapshot = *labels->snapshot;
  ordered_json by_cluster = ordered_json::object();
  for (const auto& cluster : labels->clusters) {
    ordered_json entry = MatchJson(cluster.match);
    if (cluster.medoid_row >= 0 && static_cast<size_t>(cluster.medoid_row) < snapshot.size()) {
      entry["medoid_index"] = snapshot.PositionOfRow(static_cast<size_t>(cluster.medoid_row));
    }
    by_cluster[std::to_string(cluster.cluster_id)] = std::move(entry);
  }
  ordered_json body{{"labels", std::move(by_cluster)}};
  if (!labels->unavailable_reason.empty()) body["message"] = labels->unavailable_reason;
  SendJson(res, 200, body);
}

void ImageLabel(Services& s, const httplib::Request& req, httplib::Response& res,
                const std::string& album_key, const std::string& index_text) {
  auto album = RequireAlbum(s, album_key, res);
  if (!album || !RequireMaps(s, res)) return;
  nlohmann::json params{{"index", index_text}};
  config::FieldReader reader(params);
  auto position = reader.Int("index", /*required=*/true);
  if (!reader.ok()) {
    for (auto& issue : reader.issues()) issue.loc[0] = "path";
    return SendValidationErrors(res, reader.issues());
  }
  auto query = ParseMapQuery(req, res, /*with_eps=*/false);
  if (!query) return;
  if (*position < 0) return SendJson(res, 200, ordered_json::object());
  auto match = s.maps->ImageLabel(*album, static_cast<size_t>(*position), query->top_k);
  if (!match.ok()) return SendError(res, match.error());
  SendJson(res, 200, *match ? MatchJson(**match) : ordered_json::object());
}

}  // namespace

void AddMapRoutes(Router& r, Services& s) {
  r.Add("GET", "/umap_data/{album_key}",
        [&s](const httplib::Request& req, httplib::Response& res, const PathParams& p) {
          UmapData(s, req, res, p.at("album_key"));
        });
  r.Add("GET", "/cluster_labels/{album_key}",
        [&s](const httplib::Request& req, httplib::Response& res, const PathParams& p) {
          ClusterLabels(s, req, res, p.at("album_key"));
        });
  r.Add("GET", "/image_label/{album_key}/{index}",
        [&s](const httplib::Request& req, httplib::Response& res, const PathParams& p) {
          ImageLabel(s, req, res, p.at("album_key"), p.at("index"));
        });
}

}  // namespace photomap::http
