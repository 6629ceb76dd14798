// EncoderProvider: turns an album's encoder_spec into a loaded encoder (weights, tokenizer,
// preprocessing) and caches it, so indexing and search share one copy per spec.
//
// "local:<absolute model directory>" loads that directory as is (users' own checkpoints, and the
// test fixtures); any other spec is parsed by model/encoder_spec.h and loaded from the model
// store's directory. Thread-safe: Get() may be called from any thread; loads of one spec are
// serialised, and returned encoders are shared and immutable.
#pragma once

#include <filesystem>
#include <map>
#include <memory>
#include <mutex>
#include <string>

#include "model/encoder.h"
#include "model/encoder_spec.h"
#include "model/preprocess.h"
#include "model/tokenizer.h"
#include "util/status.h"

namespace photomap::index {

inline constexpr const char* kLocalSpecPrefix = "local:";

struct LoadedEncoder {
  std::string spec;  // the album's encoder_spec, stored with every row it encodes
  model::EncoderFamily family = model::EncoderFamily::kOpenAiClip;
  std::unique_ptr<model::Encoder> encoder;
  std::unique_ptr<model::Tokenizer> tokenizer;
  model::PreprocessConfig preprocess;
  // SigLIP-style calibration parameters, present when the model has a logit bias.
  bool calibrated() const { return encoder->logit_bias().has_value(); }
};

class EncoderProvider {
 public:
  // `model_store_root`: where `photomap models pull` puts models (model_store.h).
  explicit EncoderProvider(std::filesystem::path model_store_root,
                           model::EncoderOptions options = {});
  EncoderProvider(const EncoderProvider&) = delete;
  EncoderProvider& operator=(const EncoderProvider&) = delete;

  // Returns the loaded encoder for `spec`, loading it on first use.
  // Errors: InvalidInput (malformed spec, relative local path), Unsupported (classic encoder),
  // NotFound "… is not installed …; run `photomap models pull <spec>`" when the model store lacks
  // it, and the loader's NotFound/Corrupt naming the bad file.
  Result<std::shared_ptr<const LoadedEncoder>> Get(const std::string& spec);

  // The directory a spec loads from (whether or not it exists).
  Result<std::filesystem::path> ModelDirFor(const std::string& spec) const;

 private:
  Result<std::shared_ptr<const LoadedEncoder>> Load(const std::string& spec) const;

  const std::filesystem::path root_;
  const model::EncoderOptions options_;
  std::mutex mu_;  // guards cache_ and serialises loads
  std::map<std::string, std::shared_ptr<const LoadedEncoder>> cache_;
};

}  // namespace photomap::index
