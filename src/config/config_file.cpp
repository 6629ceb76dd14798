#include "config/config_file.h"

#include <yaml-cpp/yaml.h>

#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <map>
#include <set>

#include "config/album_json.h"
#include "config/validation.h"

#include <algorithm>
#include <functional>

namespace photomap::config {
namespace {

const std::set<std::string> kKnownTopKeys = {"config_version",     "albums",
                                             "locationiq_api_key", "invokeai_url",
                                             "invokeai_username",  "invokeai_password",
                                             "invokeai_board_id",  "encoder_idle_timeout_seconds"};
const std::set<std::string> kKnownAlbumKeys = {"name",
                                               "description",
                                               "source_type",
                                               "image_paths",
                                               "index",
                                               "umap_eps",
                                               "encoder_spec",
                                               "min_search_score",
                                               "max_search_results",
                                               "use_query_optimization",
                                               "min_image_dimension",
                                               "min_image_bytes",
                                               "invokeai_url",
                                               "invokeai_username",
                                               "invokeai_password",
                                               "invokeai_root",
                                               "invokeai_board_ids",
                                               "key"};

bool OneOf(const std::string& s, std::initializer_list<const char*> options) {
  for (const char* o : options) {
    if (s == o) return true;
  }
  return false;
}

// Strips one leading sign and the digit separators YAML 1.1 allows.
std::string Digits(const std::string& s) {
  std::string out;
  for (char c : s) {
    if (c != '_') out += c;
  }
  return out;
}

bool IsYamlInt(const std::string& s) {
  size_t i = (!s.empty() && (s[0] == '-' || s[0] == '+')) ? 1 : 0;
  if (i >= s.size() || !std::isdigit(static_cast<unsigned char>(s[i]))) return false;
  if (s[i] == '0' && i + 1 != s.size()) return false;
  for (; i < s.size(); ++i) {
    if (!std::isdigit(static_cast<unsigned char>(s[i])) && s[i] != '_') return false;
  }
  return true;
}

bool IsYamlFloat(const std::string& s) {
  std::string d = Digits(s);
  if (d.empty()) return false;
  size_t i = (d[0] == '-' || d[0] == '+') ? 1 : 0;
  bool digits = false, dot = false, exp = false;
  for (; i < d.size(); ++i) {
    char c = d[i];
    if (std::isdigit(static_cast<unsigned char>(c))) {
      digits = true;
    } else if (c == '.' && !dot && !exp) {
      dot = true;
    } else if ((c == 'e' || c == 'E') && digits && !exp) {
      exp = true;
      if (i + 1 < d.size() && (d[i + 1] == '-' || d[i + 1] == '+')) ++i;
      if (i + 1 >= d.size()) return false;
    } else {
      return false;
    }
  }
  return digits && (dot || exp);
}

// Types a plain (unquoted) scalar the way PyYAML's YAML 1.1 resolver does.
nlohmann::json TypePlainScalar(const std::string& s) {
  if (OneOf(s, {"", "~", "null", "Null", "NULL"})) return nullptr;
  if (OneOf(s, {"true", "True", "TRUE", "yes", "Yes", "YES", "on", "On", "ON"})) return true;
  if (OneOf(s, {"false", "False", "FALSE", "no", "No", "NO", "off", "Off", "OFF"})) return false;
  if (IsYamlInt(s)) {
    errno = 0;
    long long v = std::strtoll(Digits(s).c_str(), nullptr, 10);
    if (errno == 0) return v;
    return s;
  }
  if (IsYamlFloat(s)) return std::strtod(Digits(s).c_str(), nullptr);
  // NaN/Infinity cannot live in JSON; they travel as strings and the float coercion reads them.
  if (OneOf(s, {".inf", ".Inf", ".INF", "+.inf", "+.Inf", "+.INF"})) return "inf";
  if (OneOf(s, {"-.inf", "-.Inf", "-.INF"})) return "-inf";
  if (OneOf(s, {".nan", ".NaN", ".NAN"})) return "nan";
  return s;
}

// Converts a YAML node to JSON, typing plain scalars as YAML 1.1 (PyYAML) would: null, bool,
// int, float; quoted scalars stay strings.
nlohmann::json ToJson(const YAML::Node& node) {
  switch (node.Type()) {
    case YAML::NodeType::Null:
    case YAML::NodeType::Undefined:
      return nullptr;
    case YAML::NodeType::Sequence: {
      nlohmann::json arr = nlohmann::json::array();
      for (const auto& item : node) arr.push_back(ToJson(item));
      return arr;
    }
    case YAML::NodeType::Map: {
      nlohmann::json obj = nlohmann::json::object();
      for (const auto& kv : node) obj[kv.first.Scalar()] = ToJson(kv.second);
      return obj;
    }
    case YAML::NodeType::Scalar:
      break;
  }
  const std::string& s = node.Scalar();
  if (node.Tag() == "!") return s;  // quoted
  return TypePlainScalar(s);
}

std::optional<std::string> OptString(const YAML::Node& root, const char* key) {
  const YAML::Node n = root[key];
  if (!n || n.IsNull()) return std::nullopt;
  if (!n.IsScalar()) return std::nullopt;
  return n.Scalar();
}

// PhotoMapAI's repaired_umap_eps: non-finite or <= 0 → null, (0, 0.01) → 0.01.
void RepairUmapEps(nlohmann::json& album, const std::string& key, std::vector<LoadNotice>* notes) {
  if (!album.contains("umap_eps") || album["umap_eps"].is_null()) return;
  nlohmann::json& v = album["umap_eps"];
  double d = 0;
  if (v.is_boolean()) {
    d = v.get<bool>() ? 1.0 : 0.0;
  } else if (v.is_number()) {
    d = v.get<double>();
  } else if (v.is_string()) {
    char* end = nullptr;
    const std::string s = v.get<std::string>();
    std::string lower;
    for (char c : s) lower += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    if (lower == "nan" || lower == "inf" || lower == "-inf" || lower == "infinity" ||
        lower == "-infinity") {
      d = NAN;
    } else {
      d = std::strtod(s.c_str(), &end);
      if (end == s.c_str() || *end != '\0') return;  // left for validation to reject
    }
  } else {
    return;
  }
  if (!std::isfinite(d) || d <= 0) {
    if (notes)
      notes->push_back({"album '" + key + "': stored umap_eps " + v.dump() +
                        " is not a usable cluster size; using the automatic value"});
    v = nullptr;
  } else if (d < kMinClusterEps) {
    if (notes)
      notes->push_back(
          {"album '" + key + "': stored umap_eps " + v.dump() + " raised to the minimum 0.01"});
    v = kMinClusterEps;
  } else {
    v = d;
  }
}

std::string FormatIssues(const std::vector<FieldIssue>& issues) {
  std::string out;
  for (const auto& i : issues) {
    if (!out.empty()) out += "; ";
    std::string field = i.loc.size() > 1 ? i.loc[1].dump() : "album";
    if (field.size() > 1 && field.front() == '"') field = field.substr(1, field.size() - 2);
    out += field + ": " + i.msg;
  }
  return out;
}

}  // namespace

const Album* Config::FindAlbum(const std::string& key) const {
  for (const auto& a : albums) {
    if (a.key == key) return &a;
  }
  return nullptr;
}

namespace {

// Parses "1.2.3"-style versions; false for anything else.
bool ParseVersion(const std::string& v, std::vector<long>* out) {
  if (v.empty() || v.front() == '.' || v.back() == '.') return false;
  long part = 0;
  bool have_digit = false;
  for (char c : v) {
    if (c == '.') {
      if (!have_digit) return false;
      out->push_back(part);
      part = 0;
      have_digit = false;
    } else if (std::isdigit(static_cast<unsigned char>(c))) {
      part = part * 10 + (c - '0');
      have_digit = true;
      if (part > 1000000) return false;
    } else {
      return false;
    }
  }
  out->push_back(part);
  return true;
}

}  // namespace

bool VersionOlderThan(const std::string& version, const std::string& reference) {
  std::vector<long> a, b;
  if (!ParseVersion(version, &a) || !ParseVersion(reference, &b)) return false;
  return a < b;
}

Result<Config> ParseConfigYaml(const std::string& text, const std::string& path,
                               const PathContext& paths, std::vector<LoadNotice>* notices) {
  const std::string prefix = "Failed to load configuration from " + path;
  YAML::Node root;
  try {
    root = YAML::Load(text);
  } catch (const YAML::Exception& e) {
    return Corrupt(prefix + ": line " + std::to_string(e.mark.line + 1) + ", column " +
                   std::to_string(e.mark.column + 1) + ": " + e.msg +
                   ". Fix the file (photomap will not overwrite it until it parses).");
  }
  Config config;
  if (!root || root.IsNull()) return config;
  if (!root.IsMap()) {
    return Corrupt(prefix + ": the top level must be a mapping with 'albums' and settings");
  }
  try {
    if (auto v = OptString(root, "config_version")) config.config_version = *v;
    std::vector<long> parts;
    if (!ParseVersion(config.config_version, &parts) || parts.size() != 3) {
      return Corrupt(prefix + ": config_version '" + config.config_version +
                     "' must look like 1.1.0");
    }
    config.locationiq_api_key = OptString(root, "locationiq_api_key");
    config.invokeai_url = OptString(root, "invokeai_url");
    config.invokeai_username = OptString(root, "invokeai_username");
    config.invokeai_password = OptString(root, "invokeai_password");
    config.invokeai_board_id = OptString(root, "invokeai_board_id");
    if (root["encoder_idle_timeout_seconds"] && !root["encoder_idle_timeout_seconds"].IsNull()) {
      nlohmann::json t = ToJson(root["encoder_idle_timeout_seconds"]);
      if (!t.is_number() || !(t.get<double>() >= 0)) {
        return Corrupt(prefix + ": encoder_idle_timeout_seconds must be a number >= 0, found " +
                       t.dump());
      }
      config.encoder_idle_timeout_seconds = t.get<double>();
    }
    for (const auto& kv : root) {
      const std::string k = kv.first.Scalar();
      if (!kKnownTopKeys.count(k)) config.extra_yaml.emplace_back(k, YAML::Dump(kv.second));
    }
    const YAML::Node albums = root["albums"];
    if (albums && !albums.IsNull() && !albums.IsMap()) {
      return Corrupt(prefix + ": 'albums' must be a mapping of album key to settings");
    }
    const bool migrate = VersionOlderThan(config.config_version, kConfigVersion);
    if (albums && albums.IsMap()) {
      for (const auto& kv : albums) {
        const std::string key = kv.first.Scalar();
        if (!kv.second.IsMap()) {
          return Corrupt(prefix + ": album '" + key + "' (line " +
                         std::to_string(kv.second.Mark().line + 1) + ") must be a mapping");
        }
        nlohmann::json body = ToJson(kv.second);
        RepairUmapEps(body, key, notices);
        AlbumBuildOptions options;
        options.defaults = AlbumDefaults::kYamlLoad;
        Validated<Album> v = AlbumFromJson(body, key, paths, options);
        if (!v.ok()) {
          return Corrupt(prefix + ": album '" + key + "' (line " +
                         std::to_string(kv.second.Mark().line + 1) +
                         "): " + FormatIssues(v.issues));
        }
        Album album = std::move(*v.value);
        if (migrate && album.min_search_score == 0.2 &&
            DefaultMinSearchScore(album.encoder_spec) != 0.2) {
          album.min_search_score = DefaultMinSearchScore(album.encoder_spec);
          if (notices) {
            notices->push_back({"album '" + key + "': search floor 0.2 migrated to " +
                                PythonFloatText(album.min_search_score) + " for " +
                                album.encoder_spec});
          }
        }
        for (const auto& field : kv.second) {
          const std::string f = field.first.Scalar();
          if (!kKnownAlbumKeys.count(f)) album.extra_yaml.emplace_back(f, YAML::Dump(field.second));
        }
        config.albums.push_back(std::move(album));
      }
    }
    if (migrate) config.config_version = kConfigVersion;
  } catch (const YAML::Exception& e) {
    return Corrupt(prefix + ": line " + std::to_string(e.mark.line + 1) + ": " + e.msg);
  }
  return config;
}

namespace {

// Emits a string so it reads back as a string: plain when YAML would type it as a string,
// double-quoted when it looks like a number, bool or null ("123", "yes", "~").
void EmitStr(YAML::Emitter& out, const std::string& s) {
  YAML::Node probe = YAML::Node(s);
  if (ToJson(probe).is_string() && !s.empty()) {
    out << s;
  } else {
    out << YAML::DoubleQuoted << s;
  }
}

void EmitFloat(YAML::Emitter& out, double v) {
  std::string text = PythonFloatText(v);
  if (text == "inf") text = ".inf";
  if (text == "-inf") text = "-.inf";
  if (text == "nan") text = ".nan";
  out << text;
}

void EmitOptional(YAML::Emitter& out, const std::optional<std::string>& v) {
  if (v) {
    EmitStr(out, *v);
  } else {
    out << YAML::Null;
  }
}

void EmitAlbum(YAML::Emitter& out, const Album& a) {
  // Keys in sorted order, as PyYAML's safe_dump writes them.
  std::map<std::string, std::function<void()>> fields;
  fields["name"] = [&] { EmitStr(out, a.name); };
  fields["description"] = [&] { EmitStr(out, a.description); };
  fields["source_type"] = [&] { EmitStr(out, a.source_type); };
  fields["image_paths"] = [&] {
    out << YAML::BeginSeq;
    for (const auto& p : a.image_paths) EmitStr(out, p);
    out << YAML::EndSeq;
  };
  fields["index"] = [&] { EmitStr(out, a.index); };
  if (a.umap_eps) fields["umap_eps"] = [&] { EmitFloat(out, *a.umap_eps); };
  fields["encoder_spec"] = [&] { EmitStr(out, a.encoder_spec); };
  fields["min_search_score"] = [&] { EmitFloat(out, a.min_search_score); };
  fields["max_search_results"] = [&] { out << a.max_search_results; };
  fields["use_query_optimization"] = [&] { out << a.use_query_optimization; };
  fields["min_image_dimension"] = [&] { out << a.min_image_dimension; };
  fields["min_image_bytes"] = [&] { out << a.min_image_bytes; };
  if (a.is_board()) {
    fields["invokeai_url"] = [&] { EmitOptional(out, a.invokeai_url); };
    fields["invokeai_username"] = [&] { EmitOptional(out, a.invokeai_username); };
    fields["invokeai_password"] = [&] { EmitOptional(out, a.invokeai_password); };
    fields["invokeai_root"] = [&] { EmitOptional(out, a.invokeai_root); };
    fields["invokeai_board_ids"] = [&] {
      out << YAML::BeginSeq;
      for (const auto& b : a.invokeai_board_ids) EmitStr(out, b);
      out << YAML::EndSeq;
    };
  }
  for (const auto& [k, yaml] : a.extra_yaml) {
    if (!fields.count(k)) fields[k] = [&out, y = yaml] { out << YAML::Load(y); };
  }
  out << YAML::BeginMap;
  for (const auto& [k, emit] : fields) {
    out << YAML::Key << k << YAML::Value;
    emit();
  }
  out << YAML::EndMap;
}

}  // namespace

std::string SerializeConfigYaml(const Config& c) {
  std::map<std::string, std::function<void(YAML::Emitter&)>> top;
  top["config_version"] = [&](YAML::Emitter& out) { EmitStr(out, c.config_version); };
  top["albums"] = [&](YAML::Emitter& out) {
    std::vector<const Album*> sorted;
    for (const auto& a : c.albums) sorted.push_back(&a);
    std::sort(sorted.begin(), sorted.end(),
              [](const Album* x, const Album* y) { return x->key < y->key; });
    out << YAML::BeginMap;
    for (const Album* a : sorted) {
      out << YAML::Key;
      EmitStr(out, a->key);
      out << YAML::Value;
      EmitAlbum(out, *a);
    }
    out << YAML::EndMap;
  };
  top["locationiq_api_key"] = [&](YAML::Emitter& out) { EmitOptional(out, c.locationiq_api_key); };
  top["invokeai_url"] = [&](YAML::Emitter& out) { EmitOptional(out, c.invokeai_url); };
  top["invokeai_username"] = [&](YAML::Emitter& out) { EmitOptional(out, c.invokeai_username); };
  top["invokeai_password"] = [&](YAML::Emitter& out) { EmitOptional(out, c.invokeai_password); };
  top["invokeai_board_id"] = [&](YAML::Emitter& out) { EmitOptional(out, c.invokeai_board_id); };
  top["encoder_idle_timeout_seconds"] = [&](YAML::Emitter& out) {
    EmitFloat(out, c.encoder_idle_timeout_seconds);
  };
  for (const auto& [k, yaml] : c.extra_yaml) {
    if (!top.count(k)) top[k] = [y = yaml](YAML::Emitter& out) { out << YAML::Load(y); };
  }
  YAML::Emitter out;
  out.SetIndent(2);
  out << YAML::BeginMap;
  for (const auto& [k, emit] : top) {
    out << YAML::Key << k << YAML::Value;
    emit(out);
  }
  out << YAML::EndMap;
  return std::string(out.c_str()) + "\n";
}

}  // namespace photomap::config
