// Cancel latency of the map computation (the indexing job's mapping phase): how long FitUmap
// takes to return Cancelled after its progress callback starts answering "stop", with the cancel
// raised at several moments so that it lands in the kNN graph, the initialisation and the SGD.
// Prints JSON lines {"name","value","unit"}.
//
// Usage: bench_map_cancel [--rows N] [--dim D]
// Data: N seeded Gaussian-cluster rows (50 clusters) on the unit sphere, default 50000 x 512, as
// make_umap_data.py's mixtures. For each delay, a watcher thread raises the flag after the delay;
// the latency is from raising it to FitUmap's return.
#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "map/umap.h"
#include "model/openblas_runtime.h"

namespace {

using Clock = std::chrono::steady_clock;

std::vector<float> Mixture(size_t rows, size_t dim) {
  std::mt19937_64 rng(11);
  std::normal_distribution<float> normal;
  std::vector<float> centres(50 * dim), x(rows * dim);
  for (float& v : centres) v = normal(rng);
  for (size_t i = 0; i < rows; ++i) {
    double ss = 0;
    for (size_t d = 0; d < dim; ++d) {
      float& v = x[i * dim + d];
      v = centres[(i % 50) * dim + d] / std::sqrt(static_cast<float>(dim)) +
          0.6f * normal(rng) / std::sqrt(static_cast<float>(dim));
      ss += static_cast<double>(v) * v;
    }
    for (size_t d = 0; d < dim; ++d) x[i * dim + d] /= static_cast<float>(std::sqrt(ss));
  }
  return x;
}

}  // namespace

int main(int argc, char** argv) {
  photomap::model::RestartWithRecommendedOpenBlasCore(argv);
  size_t rows = 50000, dim = 512;
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    if (a == "--rows" && i + 1 < argc) rows = std::max<size_t>(16, std::atoll(argv[++i]));
    if (a == "--dim" && i + 1 < argc) dim = std::max<size_t>(2, std::atoll(argv[++i]));
  }
  const std::vector<float> x = Mixture(rows, dim);
  const photomap::map::MatrixView view{x.data(), rows, dim};
  double worst = 0;
  std::vector<double> latencies;
  for (double delay : {0.05, 0.3, 0.8, 1.5, 2.5, 3.5}) {
    std::atomic<bool> cancel{false};
    std::atomic<int64_t> raised_ns{0};
    std::atomic<double> stage{0};
    const auto t0 = Clock::now();
    std::thread watcher([&] {
      std::this_thread::sleep_for(std::chrono::duration<double>(delay));
      raised_ns = (Clock::now() - t0).count();
      cancel = true;
    });
    auto result = photomap::map::FitUmap(view, {}, [&](double f) {
      stage = f;
      return !cancel.load();
    });
    const auto end_ns = (Clock::now() - t0).count();
    watcher.join();
    const double latency_ms = static_cast<double>(end_ns - raised_ns.load()) / 1e6;
    if (result.ok()) {
      std::fprintf(stderr, "delay %.2f s: the fit finished first (%.2f s)\n", delay,
                   static_cast<double>(end_ns) / 1e9);
      continue;
    }
    latencies.push_back(latency_ms);
    worst = std::max(worst, latency_ms);
    std::printf(
        "{\"name\": \"map_cancel_latency_%zux%zu_at_%.2fs_ms\", \"value\": %.1f, \"unit\": \"ms\", "
        "\"progress_when_raised\": %.2f}\n",
        rows, dim, delay, latency_ms, stage.load());
  }
  if (!latencies.empty()) {
    std::printf(
        "{\"name\": \"map_cancel_latency_%zux%zu_worst_ms\", \"value\": %.1f, \"unit\": \"ms\"}\n",
        rows, dim, worst);
  }
  return 0;
}
