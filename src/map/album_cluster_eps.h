// The album-level Cluster Strength (backend-spec §6.3 resolve_album_cluster_eps): a requested
// eps, else the album's stored one, else the automatic value cached on disk under the layout's
// fingerprint ("…/embeddings.photomap.eps.json": {"eps", "fingerprint"}), so /get_umap_eps,
// /umap_data and /cluster_labels agree and the automatic search runs once per layout.
//
// Cache read and write errors are logged and ignored. Thread-safe (concurrent writers of one
// cache file both write the same value atomically).
#pragma once

#include <optional>
#include <string>

namespace photomap::map {

// The cache file that belongs to an album's `index` setting.
std::string EpsCachePathForIndex(const std::string& album_index_path);

// The eps for DBSCAN on `n` points `xy` (x/y interleaved): with no points, `requested` or
// `stored` or 0.2 (not floored); with a requested or stored value, ResolveClusterEps of it (floor
// 0.01, pair budget; never span-clamped); else the cached automatic value.
double ResolveAlbumClusterEps(const float* xy, size_t n, const std::string& cache_path,
                              std::optional<double> requested, std::optional<double> stored,
                              int min_samples);

// The automatic eps (ResolveClusterEps with no eps) via the cache file.
double CachedAutomaticClusterEps(const float* xy, size_t n, const std::string& cache_path,
                                 int min_samples);

}  // namespace photomap::map
