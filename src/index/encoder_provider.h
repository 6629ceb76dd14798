// EncoderProvider: turns an album's encoder_spec into a loaded encoder (weights, tokenizer,
// preprocessing) and caches it, so indexing and search share one copy per spec.
//
// "local:<absolute model directory>" loads that directory as is (users' own checkpoints, and the
// test fixtures); "classic:v1" is the built-in weight-free descriptor (model/classic_encoder.h);
// any other spec is parsed by model/encoder_spec.h and loaded from the model store's directory.
// config::kAutoEncoderSpec ("auto") is resolved once, when an album is first indexed
// (ResolveForIndexing, docs/models.md). Thread-safe: Get() may be called from any thread; loads of
// one spec are serialised, and returned encoders are shared and immutable.
#pragma once

#include <atomic>
#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>

#include "config/album.h"
#include "index/progress_tracker.h"
#include "model/encoder.h"
#include "model/encoder_spec.h"
#include "model/image_text_encoder.h"
#include "model/preprocess.h"
#include "model/tokenizer.h"
#include "util/status.h"

namespace photomap::index {

inline constexpr const char* kLocalSpecPrefix = "local:";

struct LoadedEncoder {
  std::string spec;  // the album's encoder_spec, stored with every row it encodes
  model::EncoderFamily family = model::EncoderFamily::kOpenAiClip;
  std::unique_ptr<model::ImageTextEncoder> encoder;
  std::unique_ptr<model::Tokenizer> tokenizer;  // null when the encoder reads no text
  model::PreprocessConfig preprocess;
  // SigLIP-style calibration parameters, present when the model has a logit bias.
  bool calibrated() const { return encoder->logit_bias().has_value(); }
  // False for image-only encoders (classic:v1): text queries get model::TextNotSupportedError.
  bool reads_text() const { return encoder->reads_text() && tokenizer != nullptr; }
};

// How `auto` is resolved (ResolveForIndexing).
struct AutoEncoderOptions {
  // Downloaded when no CLIP-family model is installed (the host default, DefaultEncoderSpec).
  std::string default_spec = "openai-clip:ViT-B/32";
  // False: never touch the network; fall back to classic:v1 at once (offline installs).
  bool allow_download = true;
  std::string hub_base_url = "https://huggingface.co";
};

class EncoderProvider {
 public:
  // Saves an album's resolved encoder_spec (app/ wires it to the ConfigStore). Its error is
  // reported as a warning; the index itself records the spec either way.
  using SpecRecorder =
      std::function<Status(const std::string& album_key, const std::string& resolved_spec)>;

  // `model_store_root`: where `photomap models pull` puts models (model_store.h).
  explicit EncoderProvider(std::filesystem::path model_store_root,
                           model::EncoderOptions options = {},
                           AutoEncoderOptions auto_options = {});
  EncoderProvider(const EncoderProvider&) = delete;
  EncoderProvider& operator=(const EncoderProvider&) = delete;

  // Set once at start-up, before any job runs (not synchronised with ResolveForIndexing).
  void SetSpecRecorder(SpecRecorder recorder) { recorder_ = std::move(recorder); }

  // Returns the loaded encoder for `spec`, loading it on first use.
  // Errors: InvalidInput (malformed spec, relative local path, "auto" — an album that was never
  // indexed has no encoder yet: "… index the album first"), NotFound "… is not installed …; run
  // `photomap models pull <spec>`" when the model store lacks it, and the loader's
  // NotFound/Corrupt naming the bad file.
  Result<std::shared_ptr<const LoadedEncoder>> Get(const std::string& spec);

  // Get() for an indexing run of album `album_key`, which also resolves "auto": an installed
  // CLIP-family model (the default spec first, else the first complete one by name); else the
  // default spec is downloaded (status `downloading` with byte progress on `tracker`); else
  // (offline, download failed) classic:v1, with a warning in the step text and the completion
  // warning. The resolved spec is passed to the SpecRecorder. An explicit spec never falls back:
  // its errors are Get()'s, naming the files to provide. Cancelled when `cancel` is set during
  // a download.
  Result<std::shared_ptr<const LoadedEncoder>> ResolveForIndexing(const std::string& album_key,
                                                                  const std::string& spec,
                                                                  ProgressTracker& tracker,
                                                                  const std::atomic<bool>& cancel);

  // The directory a spec loads from (whether or not it exists). InvalidInput for classic:v1
  // and auto, which load from none.
  Result<std::filesystem::path> ModelDirFor(const std::string& spec) const;

 private:
  Result<std::shared_ptr<const LoadedEncoder>> Load(const std::string& spec) const;
  // The spec "auto" stands for on this host now (see ResolveForIndexing).
  Result<std::string> ResolveAuto(const std::string& album_key, ProgressTracker& tracker,
                                  const std::atomic<bool>& cancel) const;

  const std::filesystem::path root_;
  const model::EncoderOptions options_;
  const AutoEncoderOptions auto_options_;
  SpecRecorder recorder_;
  std::mutex mu_;  // guards cache_ and serialises loads
  std::map<std::string, std::shared_ptr<const LoadedEncoder>> cache_;
};

}  // namespace photomap::index
