#include "app/embed_command.h"

#include <cstdio>

#include <nlohmann/json.hpp>

#include "media/decoder.h"
#include "media/media_init.h"
#include "model/encoder.h"
#include "model/preprocess.h"
#include "model/tokenizer.h"

namespace photomap::app {
namespace {

int Fail(const std::string& message) {
  std::fprintf(stderr, "photomap embed: %s\n", message.c_str());
  return 1;
}

nlohmann::ordered_json Row(const std::string& kind, const std::string& input,
                           std::span<const float> values) {
  return nlohmann::ordered_json{{"kind", kind},
                                {"input", input},
                                {"embedding", std::vector<float>(values.begin(), values.end())}};
}

}  // namespace

int RunEmbed(const EmbedOptions& options, const char* argv0) {
  if (options.images.empty() && options.texts.empty()) return Fail("give --image and/or --text");
  model::EncoderOptions encoder_options;
  encoder_options.threads = options.threads;
  auto encoder = model::Encoder::Load(options.model_dir, encoder_options);
  if (!encoder.ok()) return Fail(encoder.error().message);
  nlohmann::ordered_json out{{"model", options.model_dir},
                             {"dim", (*encoder)->embedding_dim()},
                             {"embeddings", nlohmann::ordered_json::array()}};
  if (!options.images.empty()) {
    if (Status s = media::InitMediaLibraries(argv0); !s.ok()) return Fail(s.error().message);
    auto config = model::LoadPreprocessConfig(options.model_dir);
    if (!config.ok()) return Fail(config.error().message);
    for (const auto& path : options.images) {
      // A full decode, so the result matches the reference processor exactly.
      auto image = media::DecodeImage(path);
      if (!image.ok()) return Fail(image.error().message);
      auto pixels = model::Preprocess(*image, *config);
      if (!pixels.ok()) return Fail(pixels.error().message);
      auto embedding = (*encoder)->EncodeImages(*pixels, 1);
      if (!embedding.ok()) return Fail(embedding.error().message);
      out["embeddings"].push_back(Row("image", path, embedding->row(0)));
    }
  }
  if (!options.texts.empty()) {
    auto tokenizer = model::LoadTokenizer(options.model_dir);
    if (!tokenizer.ok()) return Fail(tokenizer.error().message);
    auto tokens = (*tokenizer)->EncodeBatch(options.texts);
    if (!tokens.ok()) return Fail(tokens.error().message);
    auto embeddings =
        (*encoder)->EncodeTexts(tokens->ids, tokens->batch, tokens->length, tokens->attention_mask);
    if (!embeddings.ok()) return Fail(embeddings.error().message);
    for (size_t i = 0; i < options.texts.size(); ++i) {
      out["embeddings"].push_back(
          Row("text", options.texts[i], embeddings->row(static_cast<int>(i))));
    }
  }
  std::printf("%s\n", out.dump().c_str());
  return 0;
}

}  // namespace photomap::app
