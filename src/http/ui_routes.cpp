#include "http/ui_routes.h"

#include <openssl/evp.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <filesystem>
#include <memory>
#include <optional>

#include "http/file_response.h"
#include "http/responses.h"
#include "util/atomic_file.h"

namespace photomap::http {
namespace {

namespace fs = std::filesystem;
using nlohmann::ordered_json;

bool IsVersionedSuffix(const fs::path& p) {
  std::string ext = p.extension().string();
  for (char& c : ext) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return ext == ".js" || ext == ".css" || ext == ".html" || ext == ".webmanifest";
}

// Escapes JSON for inclusion inside <script>: no "</script>", no HTML comment openers.
std::string ScriptSafeJson(const ordered_json& j) {
  std::string in = j.dump();
  std::string out;
  for (size_t i = 0; i < in.size(); ++i) {
    char c = in[i];
    if (c == '<') {
      out += "\\u003c";
    } else if (c == '>') {
      out += "\\u003e";
    } else if (c == '&') {
      out += "\\u0026";
    } else if (static_cast<unsigned char>(c) == 0xE2 && i + 2 < in.size() &&
               static_cast<unsigned char>(in[i + 1]) == 0x80 &&
               (static_cast<unsigned char>(in[i + 2]) == 0xA8 ||
                static_cast<unsigned char>(in[i + 2]) == 0xA9)) {
      out += static_cast<unsigned char>(in[i + 2]) == 0xA8 ? "\\u2028" : "\\u2029";
      i += 2;
    } else {
      out += c;
    }
  }
  return out;
}

std::optional<int64_t> ParseIntParam(const std::string& text) {
  try {
    size_t used = 0;
    long long v = std::stoll(text, &used);
    if (used == text.size()) return v;
  } catch (...) {
  }
  return std::nullopt;
}

void SendIntParamError(httplib::Response& res, const std::string& name, const std::string& value) {
  config::FieldIssue issue;
  issue.type = "int_parsing";
  issue.loc = ordered_json::array({"query", name});
  issue.msg = "Input should be a valid integer, unable to parse string as an integer";
  issue.input = value;
  SendValidationErrors(res, {issue});
}

constexpr const char* kBuiltinPage = R"(<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta http-equiv="X-UA-Compatible" content="IE=edge">
<meta name="viewport" content="width=device-width, initial-scale=1"><title>photomap</title>
<style>body{font:16px system-ui,sans-serif;background:#111;color:#eee;margin:3em auto;max-width:40em}
a{color:#8cf}</style></head><body><h1>photomap is running</h1>
<p>The web interface has not been built into this installation. The PhotoMapAI-compatible API is
available, for example <a href="available_albums/">available_albums/</a>.</p>
<!--photomap:config--></body></html>
)";

class UiAssets {
 public:
  UiAssets(Services& services, std::string web_root)
      : services_(services), web_root_(std::move(web_root)) {
    std::error_code ec;
    if (!web_root_.empty() && fs::is_regular_file(fs::path(web_root_) / "index.html", ec)) {
      auto page = ReadFileToString((fs::path(web_root_) / "index.html").string());
      if (page.ok()) page_ = *page;
    }
    if (page_.empty()) {
      page_ = kBuiltinPage;
      spdlog::info("no built web UI under '{}'; serving the built-in page", web_root_);
    }
    version_ = ComputeAssetVersion(services.version, page_ == kBuiltinPage ? "" : web_root_);
  }

  void Root(const httplib::Request& req, httplib::Response& res) {
    std::optional<int64_t> delay, high_water_mark;
    if (req.has_param("delay")) {
      delay = ParseIntParam(req.get_param_value("delay"));
      if (!delay) return SendIntParamError(res, "delay", req.get_param_value("delay"));
    }
    if (req.has_param("high_water_mark")) {
      high_water_mark = ParseIntParam(req.get_param_value("high_water_mark"));
      if (!high_water_mark) {
        return SendIntParamError(res, "high_water_mark", req.get_param_value("high_water_mark"));
      }
    }
    std::optional<std::string> album;
    if (req.has_param("album")) album = req.get_param_value("album");
    const std::string mode = req.has_param("mode") ? req.get_param_value("mode") : "";
    const AlbumLock& lock = services_.lock;
    if (lock.active()) {
      if (!album || !lock.Allows(*album)) album = lock.keys().front();
    } else if (album) {
      auto snap = services_.config->Snapshot();
      if (snap.ok() && (*snap)->FindAlbum(*album) == nullptr && !(*snap)->albums.empty()) {
        album = (*snap)->albums.front().key;
      }
    }
    auto or_null = [](bool present, ordered_json v) { return present ? v : ordered_json(nullptr); };
    ordered_json config{{"currentDelay", or_null(delay && *delay != 0, delay.value_or(0))},
                        {"mode", or_null(!mode.empty(), mode)},
                        {"highWaterMark", or_null(high_water_mark && *high_water_mark != 0,
                                                  high_water_mark.value_or(0))},
                        {"album", or_null(album && !album->empty(), album.value_or(""))},
                        {"albumLocked", lock.active()},
                        {"multipleLockedAlbums", lock.keys().size() > 1},
                        {"version", services_.version},
                        {"assetBase", "static/" + version_ + "/"}};
    std::string page = page_;
    const std::string script =
        "<script>window.slideshowConfig = " + ScriptSafeJson(config) + ";</script>";
    Replace(page, "<!--photomap:config-->", script);
    Replace(page, "%PHOTOMAP_ASSET_BASE%", "static/" + version_ + "/");
    // Vite builds with base "./": its entry points become versioned, immutable URLs, and the
    // chunks they import resolve relative to them.
    Replace(page, "\"./assets/", "\"static/" + version_ + "/assets/");
    res.status = 200;
    res.set_header("Cache-Control", "no-cache");
    res.set_content(page, "text/html; charset=utf-8");
  }

  void Static(const httplib::Request& req, httplib::Response& res, const std::string& rel_in) {
    std::string rel = rel_in;
    std::replace(rel.begin(), rel.end(), '\\', '/');
    bool immutable = false;
    const std::string prefix = version_ + "/";
    if (rel.compare(0, prefix.size(), prefix) == 0) {
      rel = rel.substr(prefix.size());
      immutable = true;
    }
    if (web_root_.empty() || rel.empty() || rel.find('\0') != std::string::npos) {
      return SendDetail(res, 404, "Not Found");
    }
    std::error_code ec;
    const fs::path root = fs::canonical(web_root_, ec);
    if (ec) return SendDetail(res, 404, "Not Found");
    const fs::path file = fs::weakly_canonical(root / rel, ec);
    const std::string root_s = root.string() + "/";
    if (ec || file.string().compare(0, root_s.size(), root_s) != 0 ||
        !fs::is_regular_file(file, ec)) {
      return SendDetail(res, 404, "Not Found");
    }
    FileResponseOptions options;
    if (immutable) options.cache_control = "public, max-age=31536000, immutable";
    SendFile(req, res, file.string(), options);
  }

 private:
  static void Replace(std::string& s, const std::string& from, const std::string& to) {
    for (size_t at = s.find(from); at != std::string::npos; at = s.find(from, at + to.size())) {
      s.replace(at, from.size(), to);
    }
  }

  Services& services_;
  std::string web_root_;
  std::string page_;
  std::string version_;
};

}  // namespace

std::string ComputeAssetVersion(const std::string& app_version, const std::string& web_root) {
  std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)> ctx(EVP_MD_CTX_new(), EVP_MD_CTX_free);
  EVP_DigestInit_ex(ctx.get(), EVP_sha1(), nullptr);
  EVP_DigestUpdate(ctx.get(), app_version.data(), app_version.size());
  std::error_code ec;
  if (!web_root.empty() && fs::is_directory(web_root, ec)) {
    std::vector<fs::path> files;
    for (auto it = fs::recursive_directory_iterator(web_root, ec);
         !ec && it != fs::recursive_directory_iterator(); it.increment(ec)) {
      if (it->is_regular_file(ec) && IsVersionedSuffix(it->path())) {
        files.push_back(fs::relative(it->path(), web_root, ec));
      }
    }
    // Python's Path ordering compares component lists, which fs::path's operator< also does.
    std::sort(files.begin(), files.end());
    for (const auto& rel : files) {
      const std::string name = rel.generic_string();
      EVP_DigestUpdate(ctx.get(), name.data(), name.size());
      EVP_DigestUpdate(ctx.get(), "\0", 1);
      auto bytes = ReadFileToString((fs::path(web_root) / rel).string());
      if (bytes.ok()) EVP_DigestUpdate(ctx.get(), bytes->data(), bytes->size());
    }
  }
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  EVP_DigestFinal_ex(ctx.get(), digest, &len);
  static const char* kHex = "0123456789abcdef";
  std::string hex;
  for (unsigned i = 0; i < len && hex.size() < 10; ++i) {
    hex += kHex[digest[i] >> 4];
    hex += kHex[digest[i] & 15];
  }
  std::string clean = app_version;
  for (char& c : clean) {
    if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '-')) c = '-';
  }
  return "v" + clean + "." + hex.substr(0, 10);
}

void AddUiRoutes(Router& router, Services& services, const std::string& web_root) {
  auto assets = std::make_shared<UiAssets>(services, web_root);
  router.Add("GET", "/",
             [assets](const httplib::Request& req, httplib::Response& res, const PathParams&) {
               assets->Root(req, res);
             });
  router.Add("GET", "/static/{path:path}",
             [assets](const httplib::Request& req, httplib::Response& res, const PathParams& p) {
               assets->Static(req, res, p.at("path"));
             });
}

}  // namespace photomap::http
