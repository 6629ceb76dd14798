#include "index/encoder_provider.h"

#include <system_error>

#include "model/model_store.h"

namespace photomap::index {

EncoderProvider::EncoderProvider(std::filesystem::path model_store_root,
                                 model::EncoderOptions options)
    : root_(std::move(model_store_root)), options_(std::move(options)) {}

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
  auto parsed = model::ParseEncoderSpec(spec);
  if (!parsed.ok()) return parsed.error();
  if (parsed->family == model::EncoderFamily::kClassic) {
    return Unsupported("encoder_spec '" + spec +
                       "': the classic encoder is not available for indexing in this build; "
                       "choose a CLIP or SigLIP encoder");
  }
  model::ModelStore store(root_);
  if (!store.IsInstalled(*parsed)) {
    return NotFound("encoder model '" + parsed->spec + "' is not installed in " +
                    store.ModelDir(*parsed).string() + "; run `photomap models pull " +
                    parsed->spec + "` and index again");
  }
  return store.ModelDir(*parsed);
}

Result<std::shared_ptr<const LoadedEncoder>> EncoderProvider::Load(const std::string& spec) const {
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

}  // namespace photomap::index
