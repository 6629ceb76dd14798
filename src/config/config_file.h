// config.yaml: PhotoMapAI-compatible parsing and serialisation (backend-spec §2).
//
// ParseConfigYaml never writes and never throws: a YAML syntax error or an invalid album gives
// one Corrupt error naming the file, line and field. Loading repairs bad stored umap_eps values
// and applies the 1.1.0 score-floor migration in memory; the next save persists them.
// SerializeConfigYaml writes keys sorted like PyYAML's safe_dump, so PhotoMapAI reads our files
// and we read theirs; unknown keys are carried through untouched.
#pragma once

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "config/album.h"
#include "config/path_context.h"
#include "util/status.h"

namespace photomap::config {

inline constexpr const char* kConfigVersion = "1.1.0";

struct Config {
  std::string config_version = kConfigVersion;
  std::vector<Album> albums;  // file order (PhotoMapAI writes them sorted by key)
  std::optional<std::string> locationiq_api_key;
  std::optional<std::string> invokeai_url;
  std::optional<std::string> invokeai_username;
  std::optional<std::string> invokeai_password;
  std::optional<std::string> invokeai_board_id;
  double encoder_idle_timeout_seconds = 30.0;  // must be >= 0; 0 disables VRAM offload
  std::vector<std::pair<std::string, std::string>> extra_yaml;  // unknown top-level keys

  const Album* FindAlbum(const std::string& key) const;
};

struct LoadNotice {
  std::string message;  // a repair or migration applied in memory, worth one log line
};

// Parses `text` (the contents of `path`, used in messages). An empty or all-comment file is an
// empty config.
Result<Config> ParseConfigYaml(const std::string& text, const std::string& path,
                               const PathContext& paths, std::vector<LoadNotice>* notices);

// Serialises `config` to YAML text.
std::string SerializeConfigYaml(const Config& config);

// Compares dotted versions numerically ("1.0.9" < "1.1.0"); unparsable sorts as newer.
bool VersionOlderThan(const std::string& version, const std::string& reference);

}  // namespace photomap::config
