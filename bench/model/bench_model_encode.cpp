// Image and text encoding throughput of the native CLIP forward pass at real model geometries,
// with random weights (the arithmetic does not depend on their values), next to the machine's
// sgemm rate so the gap to the hardware is visible.
//
//   bench_model_encode [--arch vit-b-32|vit-l-14] [--batch 1,32] [--reps 5] [--threads 1,2]
//                      [--text] [--backend openblas]
// Writes the architecture's config.json to a temporary directory and reads it back through
// LoadModelConfig, so the bench runs the same code path as a downloaded model. Prints JSON lines
// {"name", "value", "unit"}: medians of --reps timed runs after one warm-up.
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <random>
#include <string>
#include <vector>

#include "model/encoder.h"
#include "model/model_config.h"
#include "model/openblas_runtime.h"
#include "model/random_weights.h"

namespace photomap::model {
namespace {

struct Args {
  std::string arch = "vit-b-32";
  std::vector<int> batches = {32};
  int reps = 5;
  std::vector<int> threads = {1, 2};
  bool text = false;
  std::string backend = "openblas";
};

// "1,2,4" -> {1, 2, 4}; entries below 1 become 1.
std::vector<int> ParseList(const std::string& list) {
  std::vector<int> out;
  for (size_t p = 0; p < list.size();) {
    size_t q = list.find(',', p);
    out.push_back(std::max(1, std::atoi(list.substr(p, q - p).c_str())));
    p = q == std::string::npos ? list.size() : q + 1;
  }
  return out;
}

nlohmann::json ClipConfig(const std::string& arch) {
  const bool large = arch == "vit-l-14";
  return {{"model_type", "clip"},
          {"projection_dim", large ? 768 : 512},
          {"vision_config",
           {{"hidden_size", large ? 1024 : 768},
            {"intermediate_size", large ? 4096 : 3072},
            {"num_hidden_layers", large ? 24 : 12},
            {"num_attention_heads", large ? 16 : 12},
            {"patch_size", large ? 14 : 32},
            {"image_size", 224},
            {"hidden_act", "quick_gelu"}}},
          {"text_config",
           {{"hidden_size", large ? 768 : 512},
            {"intermediate_size", large ? 3072 : 2048},
            {"num_hidden_layers", 12},
            {"num_attention_heads", large ? 12 : 8},
            {"max_position_embeddings", 77},
            {"vocab_size", 49408},
            {"hidden_act", "quick_gelu"},
            {"eos_token_id", 2}}}};
}

// Multiply-adds x2 of one tower pass over `tokens` tokens.
double TowerFlops(const TowerConfig& t, double tokens) {
  const double d = t.hidden_size, f = t.intermediate_size;
  const double per_layer =
      2 * tokens * d * 3 * d + 2 * tokens * d * d + 4 * tokens * d * f + 4 * tokens * tokens * d;
  return per_layer * t.num_layers;
}

double VisionFlops(const ModelConfig& c) {
  const VisionConfig& v = c.vision;
  const double p = v.num_patches();
  return 2 * p * v.num_channels * v.patch_size * v.patch_size * v.hidden_size +
         TowerFlops(v, p + 1) + 2.0 * v.hidden_size * c.projection_dim;
}

double TextFlops(const ModelConfig& c) {
  return TowerFlops(c.text, c.text.max_positions) + 2.0 * c.text.hidden_size * c.projection_dim;
}

template <typename F>
double MedianSeconds(int reps, F&& run) {
  run();  // warm-up: page in weights, grow workspaces
  std::vector<double> s;
  for (int i = 0; i < reps; ++i) {
    auto t0 = std::chrono::steady_clock::now();
    run();
    s.push_back(std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count());
  }
  std::sort(s.begin(), s.end());
  return s[s.size() / 2];
}

void Emit(const std::string& name, double value, const char* unit) {
  std::printf("%s\n",
              nlohmann::json({{"name", name}, {"value", value}, {"unit", unit}}).dump().c_str());
  std::fflush(stdout);
}

double SgemmGflops(const std::string& backend, int threads, int reps) {
  auto gemm = MakeGemmBackend(backend).value();
  gemm->set_threads(threads);
  const int m = 768, n = 3072, k = 768;
  std::vector<float> a(static_cast<size_t>(m) * k, 0.5f), b(static_cast<size_t>(k) * n, 0.25f),
      c(static_cast<size_t>(m) * n);
  double s = MedianSeconds(reps, [&] {
    gemm->Sgemm(Trans::kNo, Trans::kNo, m, n, k, 1.0f, a.data(), k, b.data(), n, 0.0f, c.data(), n);
  });
  return 2.0 * m * n * k / s / 1e9;
}

int Run(const Args& args) {
  std::fprintf(stderr, "# OpenBLAS core: %s\n", OpenBlasCoreName().c_str());
  auto dir = std::filesystem::temp_directory_path() / ("photomap_bench_" + args.arch);
  std::filesystem::create_directories(dir);
  std::ofstream(dir / "config.json") << ClipConfig(args.arch).dump(2);
  auto config = LoadModelConfig(dir);
  if (!config.ok()) {
    std::fprintf(stderr, "%s\n", config.error().message.c_str());
    return 1;
  }
  auto weights = MakeRandomWeights(1);
  const int max_batch = *std::max_element(args.batches.begin(), args.batches.end());
  std::mt19937 rng(5);
  std::normal_distribution<float> nd(0.0f, 1.0f);
  const size_t per_image = 3ull * config->vision.image_size * config->vision.image_size;
  std::vector<float> pixels(per_image * max_batch);
  for (float& v : pixels) v = nd(rng);
  const int len = config->text.max_positions;
  std::vector<int32_t> ids(static_cast<size_t>(max_batch) * len, 0);
  for (int b = 0; b < max_batch; ++b) {
    ids[b * len] = 49406;
    for (int t = 1; t < 12; ++t) ids[b * len + t] = 400 + (b * 31 + t * 7) % 40000;
    ids[b * len + 12] = 49407;
  }
  for (int threads : args.threads) {
    EncoderOptions opt;
    opt.threads = threads;
    opt.gemm_backend = args.backend;
    opt.max_batch = max_batch;
    auto enc = Encoder::FromWeights(*config, *weights, opt);
    if (!enc.ok()) {
      std::fprintf(stderr, "%s\n", enc.error().message.c_str());
      return 1;
    }
    const double peak = SgemmGflops(args.backend, threads, args.reps);
    Emit("model_sgemm_768x3072x768_t" + std::to_string(threads), peak, "GFLOP/s");
    for (int batch : args.batches) {
      const std::string tag =
          args.arch + "_b" + std::to_string(batch) + "_t" + std::to_string(threads);
      std::span<const float> px(pixels.data(), per_image * batch);
      double s = MedianSeconds(args.reps, [&] {
        auto e = (*enc)->EncodeImages(px, batch);
        if (!e.ok()) std::fprintf(stderr, "%s\n", e.error().message.c_str());
      });
      Emit("model_image_encode_" + tag, batch / s, "img/s");
      Emit("model_image_encode_" + tag + "_gflops", VisionFlops(*config) * batch / s / 1e9,
           "GFLOP/s");
      if (!args.text) continue;
      std::span<const int32_t> tx(ids.data(), static_cast<size_t>(batch) * len);
      double ts = MedianSeconds(args.reps, [&] {
        auto e = (*enc)->EncodeTexts(tx, batch, len);
        if (!e.ok()) std::fprintf(stderr, "%s\n", e.error().message.c_str());
      });
      Emit("model_text_encode_" + tag, batch / ts, "texts/s");
      Emit("model_text_encode_" + tag + "_gflops", TextFlops(*config) * batch / ts / 1e9,
           "GFLOP/s");
    }
  }
  std::filesystem::remove_all(dir);
  return 0;
}

}  // namespace
}  // namespace photomap::model

int main(int argc, char** argv) {
  // OpenBLAS reads OPENBLAS_CORETYPE only at load: restart once with it if it fell back to generic
  // kernels on this CPU (see model/openblas_runtime.h).
  photomap::model::RestartWithRecommendedOpenBlasCore(argv);
  photomap::model::Args args;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    auto next = [&]() -> std::string { return i + 1 < argc ? argv[++i] : ""; };
    if (a == "--arch") {
      args.arch = next();
    } else if (a == "--batch") {
      args.batches = photomap::model::ParseList(next());
    } else if (a == "--reps") {
      args.reps = std::max(1, std::atoi(next().c_str()));
    } else if (a == "--threads") {
      args.threads = photomap::model::ParseList(next());
    } else if (a == "--text") {
      args.text = true;
    } else if (a == "--backend") {
      args.backend = next();
    } else {
      std::fprintf(stderr,
                   "usage: bench_model_encode [--arch vit-b-32|vit-l-14] [--batch N] [--reps N] "
                   "[--threads 1,2] [--text] [--backend openblas]\n");
      return 2;
    }
  }
  if (args.arch != "vit-b-32" && args.arch != "vit-l-14") {
    std::fprintf(stderr, "unknown --arch %s\n", args.arch.c_str());
    return 2;
  }
  return photomap::model::Run(args);
}
