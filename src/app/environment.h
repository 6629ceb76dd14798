// Environment: every environment variable photomap reads, read once at start-up (here and
// nowhere else) and passed down as plain values.
#pragma once

#include <optional>
#include <string>

namespace photomap::app {

struct Environment {
  std::optional<std::string> config;        // PHOTOMAP_CONFIG
  std::optional<std::string> host;          // PHOTOMAP_HOST
  std::optional<std::string> port;          // PHOTOMAP_PORT
  std::optional<std::string> album_locked;  // PHOTOMAP_ALBUM_LOCKED (comma-separated keys)
  std::optional<std::string> album_root;    // PHOTOMAP_ALBUM_ROOT (folder picker root)
  std::optional<std::string> no_browser;    // PHOTOMAP_NO_BROWSER
  std::optional<std::string> log_level;     // PHOTOMAP_LOG_LEVEL (trace … off)
  std::optional<std::string> hf_endpoint;   // HF_ENDPOINT (a Hugging Face mirror), as huggingface_hub
  std::string home;                         // HOME
  std::optional<std::string> xdg_config_home;
  std::optional<std::string> xdg_data_home;
  std::optional<std::string> xdg_cache_home;
  bool has_display = false;  // DISPLAY or WAYLAND_DISPLAY set

  static Environment FromProcess();

  // $PHOTOMAP_CONFIG, else $XDG_CONFIG_HOME/photomap/config.yaml, else
  // ~/.config/photomap/config.yaml (platformdirs' rule on Linux).
  std::string DefaultConfigPath() const;
  // $XDG_DATA_HOME/photomap or ~/.local/share/photomap.
  std::string UserDataDir() const;
  // $XDG_CACHE_HOME/photomap or ~/.cache/photomap.
  std::string UserCacheDir() const;
  // Where `photomap models pull` puts models: `override_dir` when given (--models), else the
  // model store's default under the cache directory (model/model_store.h).
  std::string ModelStoreDir(const std::string& override_dir = "") const;
  // Where models are downloaded from: `override_url` when given (--base-url), else $HF_ENDPOINT,
  // else https://huggingface.co. A trailing '/' is dropped.
  std::string ModelHubUrl(const std::string& override_url = "") const;
};

// "", "0", "false", "no", "off" (any case) are false; anything else is true.
bool EnvFlag(const std::optional<std::string>& value);

}  // namespace photomap::app
