#include "model/encoder.h"

#include <algorithm>
#include <thread>

#include "model/weights.h"

namespace photomap::model {

Result<std::unique_ptr<Encoder>> Encoder::FromWeights(const ModelConfig& config,
                                                      const WeightSource& weights,
                                                      const EncoderOptions& options) {
  auto gemm = MakeGemmBackend(options.gemm_backend);
  if (!gemm.ok()) return gemm.error();
  auto graph = LoadGraph(config, weights);
  if (!graph.ok()) return graph.error();
  auto enc = std::unique_ptr<Encoder>(new Encoder());
  enc->graph_ = std::move(graph).value();
  enc->gemm_ = std::move(gemm).value();
  int threads =
      options.threads > 0 ? options.threads : static_cast<int>(std::thread::hardware_concurrency());
  enc->gemm_->set_threads(std::max(1, threads));
  enc->max_batch_ = std::max(1, options.max_batch);
  return enc;
}

Result<std::unique_ptr<Encoder>> Encoder::Load(const std::filesystem::path& model_dir,
                                               const EncoderOptions& options) {
  std::error_code ec;
  if (!std::filesystem::is_directory(model_dir, ec)) {
    return NotFound(model_dir.string() + ": model directory does not exist");
  }
  auto config = LoadModelConfig(model_dir);
  if (!config.ok()) return config.error();
  auto weights = OpenWeights(model_dir, config->naming);
  if (!weights.ok()) return weights.error();
  return FromWeights(*config, **weights, options);
}

Status Encoder::RunVision(std::span<const float> pixels, int batch, VisionOutputs* out) const {
  const size_t per = static_cast<size_t>(num_channels()) * image_size() * image_size();
  if (batch < 0 || pixels.size() != per * static_cast<size_t>(batch)) {
    return InvalidInput("image batch: expected " + std::to_string(batch) + " x " +
                        std::to_string(num_channels()) + " x " + std::to_string(image_size()) +
                        " x " + std::to_string(image_size()) + " floats, got " +
                        std::to_string(pixels.size()));
  }
  std::lock_guard lock(mu_);
  return graph_->RunVision(*gemm_, pixels.data(), batch, /*keep_hidden=*/true, out, ws_);
}

Status Encoder::RunText(std::span<const int32_t> ids, int batch, int length,
                        std::span<const int32_t> attention_mask, TextOutputs* out) const {
  if (batch < 0 || length < 1 || ids.size() != static_cast<size_t>(batch) * length) {
    return InvalidInput("token batch: expected " + std::to_string(batch) + " rows of " +
                        std::to_string(length) + " ids, got " + std::to_string(ids.size()));
  }
  if (!attention_mask.empty() && attention_mask.size() != ids.size()) {
    return InvalidInput("attention mask size differs from the ids");
  }
  std::lock_guard lock(mu_);
  return graph_->RunText(*gemm_, ids.data(),
                         attention_mask.empty() ? nullptr : attention_mask.data(), batch, length,
                         /*keep_hidden=*/true, out, ws_);
}

Result<Embeddings> Encoder::EncodeImages(std::span<const float> pixels, int batch) const {
  const size_t per = static_cast<size_t>(num_channels()) * image_size() * image_size();
  if (batch < 0 || pixels.size() != per * static_cast<size_t>(batch)) {
    return InvalidInput("image batch: expected " + std::to_string(batch) + " x " +
                        std::to_string(num_channels()) + " x " + std::to_string(image_size()) +
                        " x " + std::to_string(image_size()) + " floats, got " +
                        std::to_string(pixels.size()));
  }
  Embeddings e;
  e.rows = batch;
  e.dim = embedding_dim();
  e.data.resize(static_cast<size_t>(batch) * e.dim);
  std::lock_guard lock(mu_);
  VisionOutputs out;
  for (int start = 0; start < batch; start += max_batch_) {
    int n = std::min(max_batch_, batch - start);
    PHOTOMAP_RETURN_IF_ERROR(graph_->RunVision(*gemm_, pixels.data() + per * start, n,
                                               /*keep_hidden=*/false, &out, ws_));
    L2NormalizeRows(out.embeds.ptr(), n, e.dim);
    std::copy(out.embeds.data.begin(), out.embeds.data.end(),
              e.data.begin() + static_cast<std::ptrdiff_t>(start) * e.dim);
  }
  return e;
}

Result<Embeddings> Encoder::EncodeTexts(std::span<const int32_t> ids, int batch, int length,
                                        std::span<const int32_t> attention_mask) const {
  if (batch < 0 || length < 1 || ids.size() != static_cast<size_t>(batch) * length) {
    return InvalidInput("token batch: expected " + std::to_string(batch) + " rows of " +
                        std::to_string(length) + " ids, got " + std::to_string(ids.size()));
  }
  if (!attention_mask.empty() && attention_mask.size() != ids.size()) {
    return InvalidInput("attention mask size differs from the ids");
  }
  Embeddings e;
  e.rows = batch;
  e.dim = embedding_dim();
  e.data.resize(static_cast<size_t>(batch) * e.dim);
  std::lock_guard lock(mu_);
  TextOutputs out;
  for (int start = 0; start < batch; start += max_batch_) {
    int n = std::min(max_batch_, batch - start);
    const size_t off = static_cast<size_t>(start) * length;
    PHOTOMAP_RETURN_IF_ERROR(graph_->RunText(
        *gemm_, ids.data() + off, attention_mask.empty() ? nullptr : attention_mask.data() + off, n,
        length, /*keep_hidden=*/false, &out, ws_));
    L2NormalizeRows(out.embeds.ptr(), n, e.dim);
    std::copy(out.embeds.data.begin(), out.embeds.data.end(),
              e.data.begin() + static_cast<std::ptrdiff_t>(start) * e.dim);
  }
  return e;
}

}  // namespace photomap::model
