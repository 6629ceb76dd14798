// Times UMAP end-to-end (kNN graph, fuzzy set, spectral init, SGD) on the data sets written by
// ../shared/bench/make_umap_data.py, writes each layout as <out>/<name>.layout.npy and scores it
// with trustworthiness.py (sklearn, k = 5 and 15, 5k subsample). Prints JSON lines
// {"name","value","unit"}; wall-clock and CPU-time medians over --repeats runs.
//   bench_umap [DATA_DIR [OUT_DIR]] [--repeats N] [--only SUBSTRING] [--threads N]
//              [--blocks N] [--nprobe N] [--epochs N] [--keep-openblas-core]
// --threads/--blocks/--nprobe/--epochs override UmapParams (defaults: the library's). Like the app,
// the benchmark restarts itself with OPENBLAS_CORETYPE set when OpenBLAS fell back to a generic
// core (model/openblas_runtime.h); --keep-openblas-core measures without that. Without DATA_DIR the
// sets are generated into $TMPDIR/photomap_umapdata with Debian's python3 (python3-numpy,
// python3-sklearn); without them the benchmark reports a skip and exits 0.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <filesystem>
#include <string>
#include <vector>

#include <unistd.h>

#include <nlohmann/json.hpp>

#include "map/umap.h"
#include "model/openblas_runtime.h"
#include "util/npy_file.h"

namespace {

void Emit(const std::string& name, double value, const std::string& unit) {
  std::printf("%s\n",
              nlohmann::json{{"name", name}, {"value", value}, {"unit", unit}}.dump().c_str());
  std::fflush(stdout);
}

double CpuSeconds() { return static_cast<double>(std::clock()) / CLOCKS_PER_SEC; }

std::string TempDir() {
  const char* t = std::getenv("TMPDIR");
  return t && *t ? t : "/tmp";
}

// As src/app/main.cpp: OpenBLAS reads OPENBLAS_CORETYPE once, at load.
void RestartWithOpenBlasCoreIfNeeded(char** argv) {
  for (char** a = argv + 1; *a != nullptr; ++a) {
    if (std::string(*a) == "--keep-openblas-core") return;
  }
  photomap::model::RestartWithRecommendedOpenBlasCore(argv);
}

}  // namespace

int main(int argc, char** argv) {
  RestartWithOpenBlasCoreIfNeeded(argv);
  std::fprintf(stderr, "bench_umap: OpenBLAS core %s\n",
               photomap::model::OpenBlasCoreName().c_str());
  std::vector<std::string> positional;
  int repeats = 3;
  std::string only;
  photomap::map::UmapParams params;
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    if (a == "--repeats" && i + 1 < argc) {
      repeats = std::max(1, std::atoi(argv[++i]));
    } else if (a == "--only" && i + 1 < argc) {
      only = argv[++i];
    } else if (a == "--threads" && i + 1 < argc) {
      params.threads = std::atoi(argv[++i]);
    } else if (a == "--blocks" && i + 1 < argc) {
      params.sgd_blocks = std::atoi(argv[++i]);
    } else if (a == "--epochs" && i + 1 < argc) {
      params.n_epochs = std::atoi(argv[++i]);
    } else if (a == "--nprobe" && i + 1 < argc) {
      params.knn.nprobe = std::atoi(argv[++i]);
    } else if (a == "--keep-openblas-core") {
    } else {
      positional.push_back(a);
    }
  }
  const std::string data_dir =
      positional.size() > 0 ? positional[0] : TempDir() + "/photomap_umapdata";
  const std::string out_dir =
      positional.size() > 1 ? positional[1] : TempDir() + "/photomap_umapout";
  if (positional.empty() && !std::filesystem::exists(data_dir + "/digits_1797x64.npy")) {
    const std::string cmd =
        "/usr/bin/python3 " PHOTOMAP_SHARED_DIR "/bench/make_umap_data.py " + data_dir + " >&2";
    if (std::system(cmd.c_str()) != 0) {
      std::fprintf(stderr, "bench_umap: skipped, cannot generate data (needs python3-sklearn)\n");
      return 0;
    }
  }
  const std::vector<std::string> sets = {"digits_1797x64", "gmm50_2000x512_seed0",
                                         "gmm50_10000x512_seed0", "gmm50_50000x512_seed0"};
  std::filesystem::create_directories(out_dir);
  for (const std::string& set : sets) {
    if (!only.empty() && set.find(only) == std::string::npos) continue;
    auto x = photomap::ReadNpyFile(data_dir + "/" + set + ".npy");
    if (!x.ok()) {
      std::fprintf(stderr, "%s\n", x.error().message.c_str());
      continue;
    }
    std::vector<double> times, cpu;
    std::vector<float> layout;
    for (int r = 0; r < repeats; ++r) {
      const auto t0 = std::chrono::steady_clock::now();
      const double c0 = CpuSeconds();
      auto fit = photomap::map::FitUmap({x->data.data(), x->rows, x->cols}, params);
      const double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
      cpu.push_back(CpuSeconds() - c0);
      if (!fit.ok()) {
        std::fprintf(stderr, "%s: %s\n", set.c_str(), fit.error().message.c_str());
        return 1;
      }
      times.push_back(s);
      layout = std::move(*fit);
    }
    std::sort(times.begin(), times.end());
    std::sort(cpu.begin(), cpu.end());
    Emit("umap_" + set + "_seconds", times[times.size() / 2], "s");
    Emit("umap_" + set + "_cpu_seconds", cpu[cpu.size() / 2], "s");
    const auto st = photomap::WriteNpyFile(out_dir + "/" + set + ".layout.npy", layout, x->rows, 2);
    if (!st.ok()) std::fprintf(stderr, "%s\n", st.error().message.c_str());
  }
  const std::string score = "/usr/bin/python3 " PHOTOMAP_SOURCE_DIR
                            "/bench/map/trustworthiness.py " +
                            data_dir + " " + out_dir;
  if (std::system(score.c_str()) != 0) {
    std::fprintf(stderr, "bench_umap: trustworthiness skipped (needs python3-sklearn)\n");
  }
  return 0;
}
