#include "index/encoder_provider.h"

#include <spdlog/spdlog.h>

#include <system_error>

#include "model/classic_encoder.h"
#include "model/model_store.h"

namespace photomap::index {
namespace {

bool IsClassic(const std::string& spec) {
  auto parsed = model::ParseEncoderSpec(spec);
  return parsed.ok() && parsed->family == model::EncoderFamily::kClassic;
}

std::shared_ptr<const LoadedEncoder> MakeClassic() {
  auto loaded = std::make_shared<LoadedEncoder>();
  loaded->spec = model::kClassicEncoderSpec;
  loaded->family = model::EncoderFamily::kClassic;
  loaded->encoder = std::make_unique<model::ClassicEncoder>();
  loaded->preprocess = model::ClassicPreprocessConfig();
  return loaded;
}

std::string Megabytes(uint64_t bytes) {
  return std::to_string((bytes + 512 * 1024) / (1024 * 1024)) + " MB";
}

}  // namespace

EncoderProvider::EncoderProvider(std::filesystem::path model_store_root,
                                 model::EncoderOptions options, AutoEncoderOptions auto_options)
    : root_(std::move(model_store_root)),
      options_(std::move(options)),
      auto_options_(std::move(auto_options)) {}

Result<std::filesystem::path> EncoderProvider::ModelDirFor(const std::string& spec) const {
  const std::string prefix = kLocalSpecPrefix;
  if (spec.rfind(prefix, 0) == 0) {
    std::filesystem::path dir = spec.substr(prefix.size());
    if (!dir.is_absolute()) {
      return InvalidInput("encoder_spec '" + spec +
                          "': a local model must be given as local:<absolute directory>");
    }
    return dir;
  }
  if (spec == config::kAutoEncoderSpec) {
    return InvalidInput(
        "encoder_spec 'auto': this album has not been indexed yet, so it has no "
        "encoder; index the album first");
  }
  auto parsed = model::ParseEncoderSpec(spec);
  if (!parsed.ok()) return parsed.error();
  if (parsed->family == model::EncoderFamily::kClassic) {
    return InvalidInput("encoder_spec '" + spec +
                        "': the classic encoder is built in and has "
                        "no model directory");
  }
  model::ModelStore store(root_);
  if (!store.IsInstalled(*parsed)) {
    return NotFound("encoder model '" + parsed->spec + "' is not installed in " +
                    store.ModelDir(*parsed).string() + "; run `photomap models pull " +
                    parsed->spec + "` and index again; or, " +
                    store.ManualInstallInstructions(*parsed, auto_options_.hub_base_url));
  }
  return store.ModelDir(*parsed);
}

Result<std::shared_ptr<const LoadedEncoder>> EncoderProvider::Load(const std::string& spec) const {
  if (IsClassic(spec)) return MakeClassic();
  auto dir = ModelDirFor(spec);
  if (!dir.ok()) return dir.error();
  std::error_code ec;
  if (!std::filesystem::is_directory(*dir, ec)) {
    return NotFound("encoder_spec '" + spec + "': model directory " + dir->string() +
                    " does not exist");
  }
  auto loaded = std::make_shared<LoadedEncoder>();
  loaded->spec = spec;
  auto encoder = model::Encoder::Load(*dir, options_);
  if (!encoder.ok()) return encoder.error();
  loaded->encoder = std::move(encoder).value();
  auto tokenizer = model::LoadTokenizer(*dir);
  if (!tokenizer.ok()) return tokenizer.error();
  loaded->tokenizer = std::move(tokenizer).value();
  auto preprocess = model::LoadPreprocessConfig(*dir);
  if (!preprocess.ok()) return preprocess.error();
  loaded->preprocess = *preprocess;
  // The family follows the checkpoint, not its name: a logit bias means SigLIP calibration.
  auto parsed = model::ParseEncoderSpec(spec);
  if (parsed.ok()) {
    loaded->family = parsed->family;
  } else {
    loaded->family = loaded->encoder->logit_bias() ? model::EncoderFamily::kSiglip
                                                   : model::EncoderFamily::kOpenAiClip;
  }
  return std::shared_ptr<const LoadedEncoder>(std::move(loaded));
}

Result<std::shared_ptr<const LoadedEncoder>> EncoderProvider::Get(const std::string& spec) {
  std::lock_guard lock(mu_);
  auto it = cache_.find(spec);
  if (it != cache_.end()) return it->second;
  auto loaded = Load(spec);
  if (!loaded.ok()) return loaded.error();
  cache_[spec] = *loaded;
  return *loaded;
}

Result<std::string> EncoderProvider::ResolveAuto(const std::string& album_key,
                                                 ProgressTracker& tracker,
                                                 const std::atomic<bool>& cancel) const {
  model::ModelStore store(root_);
  auto wanted = model::ParseEncoderSpec(auto_options_.default_spec);
  if (!wanted.ok()) return wanted.error();
  if (store.IsInstalled(*wanted)) return wanted->spec;
  if (auto installed = store.List(); installed.ok()) {
    for (const auto& m : *installed) {
      auto parsed = model::ParseEncoderSpec(m.spec);
      if (m.complete && parsed.ok() && parsed->family != model::EncoderFamily::kClassic) {
        return parsed->spec;
      }
    }
  }
  std::string why = "downloads are disabled";
  if (auto_options_.allow_download) {
    tracker.Start(album_key, JobStatus::kDownloading, 0, "Downloading " + wanted->spec);
    model::PullOptions pull;
    pull.base_url = auto_options_.hub_base_url;
    pull.cancel = &cancel;
    pull.progress = [&](const model::PullProgress& p) {
      tracker.Update(album_key, static_cast<int64_t>(p.file_index),
                     "Downloading " + wanted->spec + ": " + p.file + " (" +
                         std::to_string(p.file_index + 1) + "/" + std::to_string(p.file_count) +
                         ", " + Megabytes(p.bytes_done) +
                         (p.bytes_total > 0 ? " of " + Megabytes(p.bytes_total) : "") + ")");
    };
    auto pulled = store.Pull(*wanted, pull);
    if (pulled.ok()) {
      tracker.Start(album_key, JobStatus::kScanning, 0, "Downloaded " + wanted->spec);
      return wanted->spec;
    }
    if (pulled.error().kind == ErrorKind::kCancelled || cancel.load()) return pulled.error();
    why = "downloading " + wanted->spec + " failed (" + pulled.error().message + ")";
  }
  const std::string warning =
      "No CLIP model is installed and " + why +
      "; indexed with the built-in classic:v1 "
      "descriptor, which supports image search and the map but not text search. To search by "
      "text, run `photomap models pull " +
      wanted->spec +
      "`, set the album's encoder and "
      "re-index.";
  spdlog::warn("indexing {}: {}", album_key, warning);
  tracker.SetStep(album_key, "Warning: " + warning);
  tracker.AddWarning(album_key, warning);
  return std::string(model::kClassicEncoderSpec);
}

Result<std::shared_ptr<const LoadedEncoder>> EncoderProvider::ResolveForIndexing(
    const std::string& album_key, const std::string& spec, ProgressTracker& tracker,
    const std::atomic<bool>& cancel) {
  if (spec != config::kAutoEncoderSpec) return Get(spec);
  auto resolved = ResolveAuto(album_key, tracker, cancel);
  if (!resolved.ok()) return resolved.error();
  auto loaded = Get(*resolved);
  if (!loaded.ok()) return loaded.error();
  spdlog::info("indexing {}: encoder 'auto' resolved to '{}'", album_key, *resolved);
  if (recorder_) {
    if (Status saved = recorder_(album_key, *resolved); !saved.ok()) {
      tracker.AddWarning(album_key, "The album's encoder could not be saved as '" + *resolved +
                                        "' (" + saved.error().message + ").");
    }
  }
  return loaded;
}

}  // namespace photomap::index
