#include "map/album_cluster_eps.h"

#include <cmath>

#include <spdlog/spdlog.h>
#include <nlohmann/json.hpp>

#include "map/cluster_eps.h"
#include "util/atomic_file.h"

namespace photomap::map {

std::string EpsCachePathForIndex(const std::string& album_index_path) {
  std::string base = album_index_path;
  const std::string npz = ".npz";
  if (base.size() >= npz.size() && base.compare(base.size() - npz.size(), npz.size(), npz) == 0) {
    base.resize(base.size() - npz.size());
  }
  return base + ".photomap.eps.json";
}

double CachedAutomaticClusterEps(const float* xy, size_t n, const std::string& cache_path,
                                 int min_samples) {
  const std::string fingerprint = ClusterEpsFingerprint(xy, n, min_samples);
  auto text = ReadFileToString(cache_path);
  if (text.ok()) {
    auto cached = nlohmann::json::parse(*text, nullptr, false);
    if (cached.is_object() && cached.value("fingerprint", "") == fingerprint &&
        cached["eps"].is_number()) {
      const double eps = cached["eps"].get<double>();
      if (std::isfinite(eps) && eps > 0) return eps;
    }
  } else if (text.error().kind != ErrorKind::kNotFound) {
    spdlog::warn("cluster eps cache: {}", text.error().message);
  }
  const double eps = ResolveClusterEps(xy, n, std::nullopt, min_samples);
  AtomicWriteOptions options;
  options.new_file_mode = 0644;
  options.durable = false;
  Status written = AtomicWriteFile(
      cache_path, nlohmann::json{{"eps", eps}, {"fingerprint", fingerprint}}.dump(), options);
  if (!written.ok()) spdlog::warn("cluster eps cache: {}", written.error().message);
  return eps;
}

double ResolveAlbumClusterEps(const float* xy, size_t n, const std::string& cache_path,
                              std::optional<double> requested, std::optional<double> stored,
                              int min_samples) {
  std::optional<double> eps = requested ? requested : stored;
  if (n == 0) return eps.value_or(kFallbackClusterEps);
  if (!eps) return CachedAutomaticClusterEps(xy, n, cache_path, min_samples);
  return ResolveClusterEps(xy, n, eps, min_samples);
}

}  // namespace photomap::map
