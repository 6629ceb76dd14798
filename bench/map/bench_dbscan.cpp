// Times DBSCAN and the automatic Cluster Strength on 100k 2-D points shaped like a UMAP layout
// (60 blobs of varied size and spread in a 0..20 box, plus 3% scattered points). Prints JSON
// lines {"name","value","unit"}; medians over --repeats runs.
//   bench_dbscan [--points N] [--repeats R]
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "map/cluster_eps.h"
#include "map/dbscan.h"
#include "map/rng.h"

namespace {

void Emit(const std::string& name, double value, const std::string& unit) {
  std::printf("%s\n",
              nlohmann::json{{"name", name}, {"value", value}, {"unit", unit}}.dump().c_str());
  std::fflush(stdout);
}

template <typename F>
double MedianSeconds(int repeats, F&& f) {
  std::vector<double> t;
  for (int r = 0; r < repeats; ++r) {
    const auto t0 = std::chrono::steady_clock::now();
    f();
    t.push_back(std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count());
  }
  std::sort(t.begin(), t.end());
  return t[t.size() / 2];
}

}  // namespace

int main(int argc, char** argv) {
  size_t n = 100000;
  int repeats = 3;
  for (int i = 1; i + 1 < argc; i += 2) {
    if (std::string(argv[i]) == "--points") n = std::stoul(argv[i + 1]);
    if (std::string(argv[i]) == "--repeats") repeats = std::max(1, std::atoi(argv[i + 1]));
  }
  photomap::map::Rng rng(1);
  std::vector<double> cx(60), cy(60), sd(60);
  for (int c = 0; c < 60; ++c) {
    cx[c] = rng.Uniform(0, 20);
    cy[c] = rng.Uniform(0, 20);
    sd[c] = rng.Uniform(0.05, 0.5);
  }
  std::vector<float> xy(2 * n);
  for (size_t i = 0; i < n; ++i) {
    if (rng.Uniform() < 0.03) {
      xy[2 * i] = static_cast<float>(rng.Uniform(0, 20));
      xy[2 * i + 1] = static_cast<float>(rng.Uniform(0, 20));
    } else {
      const uint32_t c = rng.Below(60);
      xy[2 * i] = static_cast<float>(cx[c] + rng.Normal() * sd[c]);
      xy[2 * i + 1] = static_cast<float>(cy[c] + rng.Normal() * sd[c]);
    }
  }
  const std::string tag = std::to_string(n / 1000) + "k";
  double eps = 0;
  Emit(
      "cluster_eps_auto_" + tag + "_seconds",
      MedianSeconds(
          repeats, [&] { eps = photomap::map::ResolveClusterEps(xy.data(), n, std::nullopt, 10); }),
      "s");
  Emit("cluster_eps_auto_" + tag + "_value", eps, "eps");
  int32_t clusters = 0;
  Emit("dbscan_" + tag + "_seconds",
       MedianSeconds(repeats,
                     [&] {
                       auto labels = photomap::map::Dbscan(xy.data(), n, eps, 10);
                       clusters = labels.ok() ? photomap::map::ClusterCount(*labels) : -1;
                     }),
       "s");
  Emit("dbscan_" + tag + "_clusters", clusters, "count");
  return 0;
}
