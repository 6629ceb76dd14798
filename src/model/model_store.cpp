#include "model/model_store.h"

#include <algorithm>
#include <cctype>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "model/http_download.h"

namespace photomap::model {
namespace {

namespace fs = std::filesystem;
constexpr char kManifest[] = "photomap_model.json";

// "openai-clip:ViT-B/32" -> "openai-clip__ViT-B--32": readable, one path component.
std::string DirName(const std::string& spec) {
  std::string out;
  for (char c : spec) {
    if (c == ':') {
      out += "__";
    } else if (c == '/') {
      out += "--";
    } else if (std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_' || c == '.') {
      out += c;
    } else {
      out += '_';
    }
  }
  return out;
}

std::string LocalName(const ModelFile& f) { return fs::path(f.path).filename().string(); }

std::string FileUrl(const std::string& base_url, const ModelFile& f) {
  std::string base = base_url;
  while (!base.empty() && base.back() == '/') base.pop_back();
  return base + "/" + f.repo + "/resolve/main/" + f.path;
}

uint64_t DirSize(const fs::path& dir) {
  uint64_t total = 0;
  std::error_code ec;
  for (const auto& e : fs::directory_iterator(dir, ec)) {
    if (e.is_regular_file(ec)) total += e.file_size(ec);
  }
  return total;
}

Status WriteManifest(const fs::path& dir, const EncoderSpec& spec) {
  nlohmann::json j;
  j["spec"] = spec.spec;
  j["files"] = nlohmann::json::array();
  for (const ModelFile& f : spec.files) {
    if (fs::exists(dir / LocalName(f))) {
      j["files"].push_back({{"repo", f.repo}, {"path", f.path}, {"name", LocalName(f)}});
    }
  }
  const fs::path tmp = dir / (std::string(kManifest) + ".tmp");
  {
    std::ofstream out(tmp, std::ios::trunc);
    out << j.dump(2) << "\n";
    if (!out) return IoError(tmp.string() + ": cannot write the model manifest");
  }
  std::error_code ec;
  fs::rename(tmp, dir / kManifest, ec);
  if (ec) return IoError((dir / kManifest).string() + ": " + ec.message());
  return Status::Ok();
}

// True when every file of one of spec.weight_alternatives is in `dir`.
bool HasCompleteAlternative(const fs::path& dir, const EncoderSpec& spec) {
  std::error_code ec;
  return std::any_of(spec.weight_alternatives.begin(), spec.weight_alternatives.end(),
                     [&](const std::vector<std::string>& alt) {
                       return std::all_of(alt.begin(), alt.end(), [&](const std::string& name) {
                         return fs::is_regular_file(dir / name, ec);
                       });
                     });
}

bool InAnyAlternative(const EncoderSpec& spec, const std::string& name) {
  for (const auto& alt : spec.weight_alternatives) {
    if (std::find(alt.begin(), alt.end(), name) != alt.end()) return true;
  }
  return false;
}

}  // namespace

fs::path DefaultModelCacheDir(const char* xdg_cache_home, const char* home) {
  if (xdg_cache_home != nullptr && xdg_cache_home[0] == '/') {
    return fs::path(xdg_cache_home) / "photomap" / "models";
  }
  if (home != nullptr && home[0] != '\0') return fs::path(home) / ".cache" / "photomap" / "models";
  return fs::path(".cache") / "photomap" / "models";
}

ModelStore::ModelStore(fs::path root) : root_(std::move(root)) {}

fs::path ModelStore::ModelDir(const EncoderSpec& spec) const { return root_ / DirName(spec.spec); }

bool ModelStore::IsInstalled(const EncoderSpec& spec) const {
  std::error_code ec;
  const fs::path dir = ModelDir(spec);
  if (!fs::is_regular_file(dir / kManifest, ec)) return false;
  const bool required = std::all_of(spec.files.begin(), spec.files.end(), [&](const ModelFile& f) {
    return !f.required || fs::is_regular_file(dir / LocalName(f), ec);
  });
  return required && (spec.weight_alternatives.empty() || HasCompleteAlternative(dir, spec));
}

Result<std::vector<InstalledModel>> ModelStore::List() const {
  std::vector<InstalledModel> out;
  std::error_code ec;
  if (!fs::exists(root_, ec)) return out;
  fs::directory_iterator it(root_, ec);
  if (ec) return IoError(root_.string() + ": cannot list models: " + ec.message());
  for (const auto& entry : it) {
    if (!entry.is_directory(ec)) continue;
    InstalledModel m;
    m.dir = entry.path();
    m.size_bytes = DirSize(m.dir);
    std::ifstream in(m.dir / kManifest);
    nlohmann::json j = nlohmann::json::parse(in, nullptr, false);
    if (in && !j.is_discarded() && j.is_object() && j.contains("spec") && j["spec"].is_string()) {
      m.spec = j["spec"].get<std::string>();
      auto spec = ParseEncoderSpec(m.spec);
      m.complete = spec.ok() && IsInstalled(*spec);
    } else {
      m.spec = m.dir.filename().string();  // unfinished pull: no manifest yet
    }
    out.push_back(std::move(m));
  }
  std::sort(out.begin(), out.end(),
            [](const InstalledModel& a, const InstalledModel& b) { return a.spec < b.spec; });
  return out;
}

std::string ModelStore::ManualInstallInstructions(const EncoderSpec& spec,
                                                  const std::string& base_url) const {
  std::ostringstream s;
  s << "to install " << spec.spec << " by hand, download these files into "
    << ModelDir(spec).string() << "/ :";
  for (const ModelFile& f : spec.files) {
    s << "\n  " << FileUrl(base_url, f) << (f.required ? "" : "  (optional)");
  }
  s << "\nthen run `photomap models pull " << spec.spec << "` once to record them";
  return s.str();
}

Result<fs::path> ModelStore::Pull(const EncoderSpec& spec, const PullOptions& options) const {
  if (spec.files.empty()) {
    return InvalidInput(spec.spec + " needs no download (it is built in)");
  }
  const fs::path dir = ModelDir(spec);
  if (IsInstalled(spec)) return dir;
  if (options.offline) {
    return NotFound(spec.spec + " is not installed and offline mode is on; " +
                    ManualInstallInstructions(spec, options.base_url));
  }
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (ec) return IoError(dir.string() + ": cannot create the model directory: " + ec.message());
  const int count = static_cast<int>(spec.files.size());
  for (int i = 0; i < count; ++i) {
    const ModelFile& f = spec.files[i];
    const fs::path dest = dir / LocalName(f);
    if (fs::is_regular_file(dest, ec)) continue;
    // Weights in one layout are enough; skip the other layouts' files.
    if (InAnyAlternative(spec, LocalName(f)) && HasCompleteAlternative(dir, spec)) continue;
    if (options.cancel && options.cancel->load()) {
      return Cancelled("pull " + spec.spec + ": cancelled before " + f.path);
    }
    DownloadRequest req;
    req.url = FileUrl(options.base_url, f);
    req.destination = dest;
    req.what = f.repo + "/" + f.path;
    req.cancel = options.cancel;
    req.bearer_token = options.bearer_token;
    if (options.progress) {
      req.progress = [&, i](uint64_t done, uint64_t total) {
        options.progress(PullProgress{LocalName(f), i, count, done, total});
      };
    }
    auto r = DownloadFile(req);
    if (r.ok()) continue;
    if (!f.required && r.error().kind == ErrorKind::kNotFound) continue;
    if (r.error().kind == ErrorKind::kIo) {
      return IoError("pull " + spec.spec + ": " + r.error().message + "\n" +
                     ManualInstallInstructions(spec, options.base_url));
    }
    return r.error().WithContext("pull " + spec.spec);
  }
  if (!spec.weight_alternatives.empty() && !HasCompleteAlternative(dir, spec)) {
    std::string options_text;
    for (const auto& alt : spec.weight_alternatives) {
      options_text += options_text.empty() ? "" : " or ";
      for (size_t k = 0; k < alt.size(); ++k) options_text += (k ? " + " : "") + alt[k];
    }
    return NotFound("pull " + spec.spec + ": " + spec.hf_repo +
                    " has no weights photomap can read (" + options_text +
                    "); download them yourself and pass the directory with --model");
  }
  PHOTOMAP_RETURN_IF_ERROR(WriteManifest(dir, spec));
  return dir;
}

Status ModelStore::Remove(const EncoderSpec& spec) const {
  const fs::path dir = ModelDir(spec);
  std::error_code ec;
  if (!fs::exists(dir, ec)) return NotFound(spec.spec + " is not installed in " + root_.string());
  fs::remove_all(dir, ec);
  if (ec) return IoError(dir.string() + ": cannot remove: " + ec.message());
  return Status::Ok();
}

}  // namespace photomap::model
