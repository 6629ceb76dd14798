#include "http/search_routes.h"

#include <filesystem>

#include "http/album_index_access.h"
#include "http/album_routes.h"
#include "http/base64.h"
#include "http/responses.h"
#include "http/slide_summary.h"
#include "index/encoder_provider.h"
#include "media/decoder.h"
#include "search/text_image_search.h"

namespace photomap::http {
namespace {

using nlohmann::ordered_json;
using Req = httplib::Request;
using Res = httplib::Response;

// Reads an optional number field; a wrong type is a 422.
bool ReadNumber(const nlohmann::json& body, const char* name, double* out, Res& res) {
  if (!body.contains(name) || body[name].is_null()) return true;
  if (!body[name].is_number()) {
    SendValidationErrors(
        res,
        {config::FieldIssue{"float_parsing", ordered_json::array({"body", name}),
                            "Input should be a valid number", ordered_json(body[name]), nullptr}});
    return false;
  }
  *out = body[name].get<double>();
  return true;
}

bool ReadString(const nlohmann::json& body, const char* name, std::string* out, Res& res) {
  if (!body.contains(name) || body[name].is_null()) return true;
  if (!body[name].is_string()) {
    SendValidationErrors(
        res,
        {config::FieldIssue{"string_type", ordered_json::array({"body", name}),
                            "Input should be a valid string", ordered_json(body[name]), nullptr}});
    return false;
  }
  *out = body[name].get<std::string>();
  return true;
}

// Decodes the data-URL or bare base64 query image. Writes 400/413 and returns false on failure.
bool DecodeQueryImage(const std::string& data, std::optional<RgbImage>* out, Res& res) {
  const size_t comma = data.rfind(',');
  auto bytes = DecodeBase64(comma == std::string::npos ? data : data.substr(comma + 1));
  if (!bytes.ok()) {
    SendDetail(res, 400, "The query image is not valid base64: " + bytes.error().message);
    return false;
  }
  auto image = media::DecodeFromMemory(*bytes);
  if (!image.ok()) {
    SendDetail(res, image.error().kind == ErrorKind::kTooLarge ? 413 : 400,
               image.error().kind == ErrorKind::kTooLarge ? image.error().message
                                                          : media::kQueryImageUnreadable);
    return false;
  }
  *out = std::move(image).value();
  return true;
}

void Search(Services& s, const Req& req, Res& res, const std::string& key) {
  auto album = RequireAlbum(s, key, res);
  if (!album) return;
  if (req.body.size() > kMaxSearchBodyBytes) {
    SendDetail(res, 413,
               "Search request is over the " + std::to_string(kMaxSearchBodyBytes >> 20) +
                   " MB limit; use a smaller query image");
    return;
  }
  nlohmann::json body;
  if (!ParseJsonBody(req, res, &body)) return;
  if (!body.is_object()) body = nlohmann::json::object();
  search::SearchRequest request;
  request.min_score = album->min_search_score;
  request.use_query_optimization = album->use_query_optimization;
  std::string image_data;
  double max_results = static_cast<double>(search::kDefaultMaxResults);
  if (!ReadString(body, "positive_query", &request.positive_query, res) ||
      !ReadString(body, "negative_query", &request.negative_query, res) ||
      !ReadString(body, "image_data", &image_data, res) ||
      !ReadNumber(body, "image_weight", &request.image_weight, res) ||
      !ReadNumber(body, "positive_weight", &request.positive_weight, res) ||
      !ReadNumber(body, "negative_weight", &request.negative_weight, res) ||
      !ReadNumber(body, "min_search_score", &request.min_score, res) ||
      !ReadNumber(body, "max_search_results", &max_results, res)) {
    return;
  }
  request.max_results = static_cast<int64_t>(max_results);
  if (body.contains("use_query_optimization") && body["use_query_optimization"].is_boolean()) {
    request.use_query_optimization = body["use_query_optimization"].get<bool>();
  }
  if (!image_data.empty() && !DecodeQueryImage(image_data, &request.image, res)) return;
  auto snapshot = RequireSnapshot(s, *album, res);
  if (!snapshot) return;
  auto encoder = s.encoders->Get(album->encoder_spec);
  if (!encoder.ok()) {
    SendError(res, encoder.error());
    return;
  }
  auto hits = search::SearchIndex(*snapshot, **encoder, request);
  if (!hits.ok()) {
    SendError(res, hits.error());
    return;
  }
  ordered_json results = ordered_json::array();
  for (const auto& h : *hits)
    results.push_back(ordered_json{{"index", h.position}, {"score", h.score}});
  SendJson(res, 200, ordered_json{{"results", results}});
}

void RetrieveImage(Services& s, Res& res, const PathParams& p) {
  auto album = RequireAlbum(s, p.at("album_key"), res);
  if (!album) return;
  auto snapshot = RequireSnapshot(s, *album, res);
  if (!snapshot) return;
  auto pos = RequirePosition(p.at("index"), *snapshot, res);
  if (!pos) return;
  const index::ImageRecord& row = snapshot->AtPosition(*pos);
  const std::string album_q = PercentEncode(album->key, "");
  const std::string rel_q = PercentEncode(RelativeToAlbum(*album, row.path), "/");
  const std::string index_text = std::to_string(*pos);
  const bool video = row.media_type == "video";
  std::string image_url = "images/" + album_q + "/" + rel_q;
  SlideInput input;
  input.is_video = video;
  input.metadata_json = row.metadata_json;
  input.mtime = row.mtime;
  if (video) {
    image_url = "video_frame/" + album_q + "/" + index_text;
    input.video_url = "videos/" + album_q + "/" + rel_q;
  }
  if (auto config = s.config->Snapshot(); config.ok()) {
    input.invokeai_configured = !(*config)->invokeai_url.value_or("").empty();
    input.has_locationiq_key = !(*config)->locationiq_api_key.value_or("").empty();
  }
  SlideDescription slide = DescribeSlide(input);
  SendJson(res, 200,
           ordered_json{{"filename", std::filesystem::path(row.path).filename().string()},
                        {"filepath", row.path},
                        {"description", slide.description},
                        {"image_url", image_url},
                        {"metadata_url", "get_metadata/" + album_q + "/" + index_text},
                        {"index", *pos},
                        {"total", snapshot->size()},
                        {"reference_images", slide.reference_images},
                        {"media_type", video ? "video" : "image"},
                        {"video_url", input.video_url},
                        {"video_info", slide.video_info}});
}

// Runs `fn(album, snapshot, position)` for a per-image route after the shared checks.
template <typename F>
void WithRow(Services& s, Res& res, const PathParams& p, const std::string& not_found, F fn) {
  auto album = RequireAlbum(s, p.at("album_key"), res);
  if (!album) return;
  auto snapshot = RequireSnapshot(s, *album, res);
  if (!snapshot) return;
  auto pos = RequirePosition(p.at("index"), *snapshot, res, not_found);
  if (!pos) return;
  fn(*album, *snapshot, *pos);
}

void ImageIndices(Services& s, const Req& req, Res& res, const std::string& key) {
  auto album = RequireAlbum(s, key, res);
  if (!album) return;
  nlohmann::json body;
  if (!ParseJsonBody(req, res, &body)) return;
  if (!body.is_object() || !body.contains("filenames") || !body["filenames"].is_array()) {
    SendValidationErrors(res,
                         {config::FieldIssue{"missing", ordered_json::array({"body", "filenames"}),
                                             "Field required", ordered_json(body), nullptr}});
    return;
  }
  ordered_json indices = ordered_json::object();
  if (body["filenames"].empty()) {
    SendJson(res, 200, ordered_json{{"indices", indices}});
    return;
  }
  auto snapshot = RequireSnapshot(s, *album, res);
  if (!snapshot) return;
  std::map<std::string, size_t> first;  // basename → first sorted position
  for (size_t pos = snapshot->size(); pos-- > 0;) {
    first[std::filesystem::path(snapshot->AtPosition(pos).path).filename().string()] = pos;
  }
  for (const auto& name : body["filenames"]) {
    if (!name.is_string()) continue;
    auto it = first.find(name.get<std::string>());
    indices[name.get<std::string>()] =
        it == first.end() ? ordered_json(nullptr) : ordered_json(it->second);
  }
  SendJson(res, 200, ordered_json{{"indices", indices}});
}

}  // namespace

void AddSearchRoutes(Router& r, Services& s) {
  r.Add("POST", "/search_with_text_and_image/{album_key}",
        [&s](const Req& req, Res& res, const PathParams& p) {
          Search(s, req, res, p.at("album_key"));
        });
  r.Add("GET", "/retrieve_image/{album_key}/{index}",
        [&s](const Req&, Res& res, const PathParams& p) { RetrieveImage(s, res, p); });
  r.Add("GET", "/image_info/{album_key}/{index}", [&s](const Req&, Res& res, const PathParams& p) {
    WithRow(s, res, p, "Index out of range",
            [&](const config::Album& album, const index::IndexSnapshot& snap, size_t pos) {
              const auto& row = snap.AtPosition(pos);
              SendJson(res, 200,
                       ordered_json{{"image_path", row.path},
                                    {"album_key", album.key},
                                    {"index", pos},
                                    {"last_modified", row.sort_time}});
            });
  });
  r.Add(
      "GET", "/get_metadata/{album_key}/{index}", [&s](const Req&, Res& res, const PathParams& p) {
        WithRow(s, res, p, "Index out of range",
                [&](const config::Album&, const index::IndexSnapshot& snap, size_t pos) {
                  auto dict = nlohmann::ordered_json::parse(snap.AtPosition(pos).metadata_json,
                                                            nullptr, false);
                  if (dict.is_discarded()) dict = ordered_json::object();
                  // PhotoMapAI: json.dumps(indent=2), ASCII-escaped.
                  res.set_content(dict.dump(2, ' ', true, nlohmann::json::error_handler_t::replace),
                                  "application/json");
                });
      });
  r.Add("GET", "/image_path/{album_key}/{index}", [&s](const Req&, Res& res, const PathParams& p) {
    WithRow(s, res, p, "Image not found for index " + p.at("index") + ": index out of range",
            [&](const config::Album&, const index::IndexSnapshot& snap, size_t pos) {
              res.set_content(snap.AtPosition(pos).path, "text/plain; charset=utf-8");
            });
  });
  r.Add("POST", "/image_indices/{album_key}", [&s](const Req& req, Res& res, const PathParams& p) {
    ImageIndices(s, req, res, p.at("album_key"));
  });
}

}  // namespace photomap::http
