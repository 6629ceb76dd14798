#include "app/environment.h"

#include "model/model_store.h"

#include <cctype>
#include <cstdlib>

namespace photomap::app {
namespace {

std::optional<std::string> Get(const char* name) {
  const char* v = std::getenv(name);
  if (v == nullptr) return std::nullopt;
  return std::string(v);
}

std::string NonEmptyOr(const std::optional<std::string>& v, const std::string& fallback) {
  return (v && !v->empty()) ? *v : fallback;
}

}  // namespace

Environment Environment::FromProcess() {
  Environment env;
  env.config = Get("PHOTOMAP_CONFIG");
  env.host = Get("PHOTOMAP_HOST");
  env.port = Get("PHOTOMAP_PORT");
  env.album_locked = Get("PHOTOMAP_ALBUM_LOCKED");
  env.album_root = Get("PHOTOMAP_ALBUM_ROOT");
  env.no_browser = Get("PHOTOMAP_NO_BROWSER");
  env.log_level = Get("PHOTOMAP_LOG_LEVEL");
  env.hf_endpoint = Get("HF_ENDPOINT");
  env.home = Get("HOME").value_or("");
  env.xdg_config_home = Get("XDG_CONFIG_HOME");
  env.xdg_data_home = Get("XDG_DATA_HOME");
  env.xdg_cache_home = Get("XDG_CACHE_HOME");
  env.has_display =
      (Get("DISPLAY").value_or("") != "") || (Get("WAYLAND_DISPLAY").value_or("") != "");
  return env;
}

std::string Environment::DefaultConfigPath() const {
  if (config && !config->empty()) return *config;
  return NonEmptyOr(xdg_config_home, home + "/.config") + "/photomap/config.yaml";
}

std::string Environment::UserDataDir() const {
  return NonEmptyOr(xdg_data_home, home + "/.local/share") + "/photomap";
}

std::string Environment::UserCacheDir() const {
  return NonEmptyOr(xdg_cache_home, home + "/.cache") + "/photomap";
}

bool EnvFlag(const std::optional<std::string>& value) {
  if (!value) return false;
  std::string v;
  for (char c : *value) v += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return !(v.empty() || v == "0" || v == "false" || v == "no" || v == "off");
}

std::string Environment::ModelStoreDir(const std::string& override_dir) const {
  if (!override_dir.empty()) return override_dir;
  return model::DefaultModelCacheDir(xdg_cache_home ? xdg_cache_home->c_str() : nullptr,
                                     home.empty() ? nullptr : home.c_str())
      .string();
}

std::string Environment::ModelHubUrl(const std::string& override_url) const {
  std::string url = !override_url.empty() ? override_url
                                          : NonEmptyOr(hf_endpoint, "https://huggingface.co");
  while (url.size() > 1 && url.back() == '/') url.pop_back();
  return url;
}

}  // namespace photomap::app
