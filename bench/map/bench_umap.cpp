// Times UMAP end-to-end (kNN graph, fuzzy set, spectral init, SGD) on the data sets written by
// ../shared/bench/make_umap_data.py and writes each layout as <out>/<name>.layout.npy for
// trustworthiness.py. Prints JSON lines {"name","value","unit"}; medians over --repeats runs.
//   bench_umap DATA_DIR OUT_DIR [--repeats N] [--only SUBSTRING]
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "map/umap.h"
#include "npy_io.h"

namespace {

void Emit(const std::string& name, double value, const std::string& unit) {
  std::printf("%s\n",
              nlohmann::json{{"name", name}, {"value", value}, {"unit", unit}}.dump().c_str());
  std::fflush(stdout);
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 3) {
    std::fprintf(stderr, "usage: bench_umap DATA_DIR OUT_DIR [--repeats N] [--only SUBSTRING]\n");
    return 2;
  }
  const std::string data_dir = argv[1], out_dir = argv[2];
  int repeats = 3;
  std::string only;
  for (int i = 3; i + 1 < argc; i += 2) {
    if (std::string(argv[i]) == "--repeats") repeats = std::max(1, std::atoi(argv[i + 1]));
    if (std::string(argv[i]) == "--only") only = argv[i + 1];
  }
  const std::vector<std::string> sets = {"digits_1797x64", "gmm50_2000x512_seed0",
                                         "gmm50_10000x512_seed0", "gmm50_50000x512_seed0"};
  std::filesystem::create_directories(out_dir);
  for (const std::string& set : sets) {
    if (!only.empty() && set.find(only) == std::string::npos) continue;
    auto x = photomap::bench::ReadNpyF32(data_dir + "/" + set + ".npy");
    if (!x.ok()) {
      std::fprintf(stderr, "%s\n", x.error().message.c_str());
      continue;
    }
    std::vector<double> times;
    std::vector<float> layout;
    for (int r = 0; r < repeats; ++r) {
      const auto t0 = std::chrono::steady_clock::now();
      auto fit = photomap::map::FitUmap({x->data.data(), x->rows, x->cols});
      const double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
      if (!fit.ok()) {
        std::fprintf(stderr, "%s: %s\n", set.c_str(), fit.error().message.c_str());
        return 1;
      }
      times.push_back(s);
      layout = std::move(*fit);
    }
    std::sort(times.begin(), times.end());
    Emit("umap_" + set + "_seconds", times[times.size() / 2], "s");
    const auto st =
        photomap::bench::WriteNpyF32(out_dir + "/" + set + ".layout.npy", layout, x->rows, 2);
    if (!st.ok()) std::fprintf(stderr, "%s\n", st.error().message.c_str());
  }
  return 0;
}
