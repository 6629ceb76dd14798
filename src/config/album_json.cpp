#include "config/album_json.h"

#include <cctype>

namespace photomap::config {
namespace {

bool EndsWith(const std::string& s, const std::string& suffix) {
  return s.size() >= suffix.size() &&
         s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

bool KeyUsableAsDirectory(const std::string& key) {
  return !key.empty() && key.find('/') == std::string::npos &&
         key.find('\\') == std::string::npos && key.find('\0') == std::string::npos &&
         key.find("..") == std::string::npos;
}

void ReadInvokeAiFields(FieldReader& r, Album& a) {
  a.invokeai_url = r.String("invokeai_url");
  a.invokeai_username = r.String("invokeai_username");
  a.invokeai_password = r.String("invokeai_password");
  a.invokeai_root = r.String("invokeai_root");
  if (auto ids = r.StringList("invokeai_board_ids")) a.invokeai_board_ids = *ids;
}

void ValidateBoardAlbum(FieldReader& r, Album& a, const PathContext& paths) {
  if (!a.invokeai_url || a.invokeai_url->empty()) {
    r.ValueError("invokeai_url", "InvokeAI-board albums require invokeai_url");
  } else if (a.invokeai_url->rfind("http://", 0) != 0 &&
             a.invokeai_url->rfind("https://", 0) != 0) {
    r.ValueError("invokeai_url", "invokeai_url must start with http:// or https://");
  }
  if (!a.invokeai_root || a.invokeai_root->empty()) {
    r.ValueError("invokeai_root", "InvokeAI-board albums require invokeai_root");
  } else {
    a.image_paths = BoardImagePaths(*a.invokeai_root, paths);
  }
  if (a.invokeai_board_ids.empty()) {
    r.ValueError("invokeai_board_ids", "InvokeAI-board albums require at least one board id");
  }
  if (a.index.empty()) {
    if (!KeyUsableAsDirectory(a.key)) {
      r.ValueError("key", "Album key not usable as a directory name");
    } else if (!paths.user_data_dir.empty()) {
      a.index = paths.user_data_dir + "/indexes/" + a.key + "/embeddings.npz";
    }
  }
}

}  // namespace

std::string CapitalizeKey(const std::string& key) {
  std::string out = key;
  for (size_t i = 0; i < out.size(); ++i) {
    unsigned char c = static_cast<unsigned char>(out[i]);
    out[i] = static_cast<char>(i == 0 ? std::toupper(c) : std::tolower(c));
  }
  return out;
}

std::vector<std::string> BoardImagePaths(const std::string& invokeai_root,
                                         const PathContext& paths) {
  std::string root = paths.ExpandUser(invokeai_root);
  while (root.size() > 1 && root.back() == '/') root.pop_back();
  return {root + "/outputs/images", root + "/outputs/videos"};
}

Validated<Album> AlbumFromJson(const nlohmann::json& body, const std::string& key,
                               const PathContext& paths, const AlbumBuildOptions& options) {
  Validated<Album> out;
  if (!body.is_object()) {
    out.issues.push_back(ModelTypeIssue(body));
    return out;
  }
  const bool api = options.defaults == AlbumDefaults::kApi;
  FieldReader r(body);
  Album a;
  if (api) {
    a.key = r.String("key", /*required=*/true).value_or("");
    a.name = r.String("name", /*required=*/true).value_or("");
  } else {
    a.key = key;
    a.name = r.String("name").value_or(CapitalizeKey(key));
  }
  a.description = r.String("description").value_or("");
  if (auto st = r.String("source_type")) {
    if (*st != kSourceDirectory && *st != kSourceInvokeAiBoard) {
      FieldIssue issue;
      issue.type = "literal_error";
      issue.loc = nlohmann::ordered_json::array({"body", "source_type"});
      issue.msg = "Input should be 'directory' or 'invokeai_board'";
      issue.input = *st;
      issue.ctx = nlohmann::ordered_json{{"expected", "'directory' or 'invokeai_board'"}};
      r.Add(std::move(issue));
    } else {
      a.source_type = *st;
    }
  }
  ReadInvokeAiFields(r, a);
  a.index = r.String("index", /*required=*/api && !a.is_board()).value_or("");
  if (a.is_board()) {
    ValidateBoardAlbum(r, a, paths);
  } else {
    auto image_paths = r.StringList("image_paths", /*required=*/api);
    if (image_paths) {
      a.image_paths = *image_paths;
      r.MinItems("image_paths", a.image_paths.size(), 1);
    } else if (!api && !r.has("image_paths")) {
      r.MinItems("image_paths", 0, 1);
    }
    for (auto& p : a.image_paths) p = paths.ExpandUser(p);
  }
  if (a.index.empty() && !api && !a.is_board()) {
    r.Add(FieldIssue{"missing", nlohmann::ordered_json::array({"body", "index"}), "Field required",
                     nullptr, nullptr});
  }
  if (!a.index.empty()) {
    a.index = paths.ExpandUser(a.index);
    if (!EndsWith(a.index, ".npz")) r.ValueError("index", "Index file must have .npz extension");
  }
  if (auto eps = r.Float("umap_eps")) {
    r.Finite("umap_eps", *eps);
    if (std::isfinite(*eps)) r.GreaterEqual("umap_eps", *eps, kMinClusterEps);
    a.umap_eps = *eps;
  }
  a.encoder_spec =
      r.String("encoder_spec").value_or(api ? options.default_encoder_spec : kLegacyEncoderSpec);
  if (a.encoder_spec.empty())
    a.encoder_spec = api ? options.default_encoder_spec : kLegacyEncoderSpec;
  auto min_score = r.Float("min_search_score");
  if (min_score) r.Finite("min_search_score", *min_score);
  a.min_search_score = min_score.value_or(DefaultMinSearchScore(a.encoder_spec));
  a.max_search_results = r.Int("max_search_results").value_or(100);
  a.use_query_optimization = r.Bool("use_query_optimization").value_or(true);
  a.min_image_dimension = r.Int("min_image_dimension").value_or(256);
  if (r.has("min_image_dimension") && !r.is_null("min_image_dimension")) {
    r.GreaterEqual("min_image_dimension", static_cast<double>(a.min_image_dimension), 1);
  }
  a.min_image_bytes = r.Int("min_image_bytes").value_or(8192);
  if (r.has("min_image_bytes") && !r.is_null("min_image_bytes")) {
    r.GreaterEqual("min_image_bytes", static_cast<double>(a.min_image_bytes), 0);
  }
  if (options.resolve_paths) {
    for (auto& p : a.image_paths) p = paths.Resolve(p);
    if (!a.index.empty()) a.index = paths.Resolve(a.index);
  }
  out.issues = std::move(r.issues());
  if (out.issues.empty()) out.value = std::move(a);
  return out;
}

}  // namespace photomap::config
