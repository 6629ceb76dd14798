#include "map/album_map_service.h"

#include <cstdio>

#include <spdlog/spdlog.h>

#include "map/album_cluster_eps.h"
#include "map/cluster_eps.h"
#include "map/dbscan.h"

namespace photomap::map {

namespace {

constexpr size_t kCachedClusterings = 8;
constexpr size_t kCachedLabelSets = 16;

std::string CacheKey(const std::string& index_path, int64_t generation, double eps, int min_samples,
                     int top_k = 0) {
  char numbers[96];
  std::snprintf(numbers, sizeof(numbers), "|%lld|%.17g|%d|%d", static_cast<long long>(generation),
                eps, min_samples, top_k);
  return index_path + numbers;
}

template <typename List>
auto FindEntry(List& cache, const std::string& key) {
  for (auto it = cache.begin(); it != cache.end(); ++it) {
    if (it->key == key) {
      cache.splice(cache.begin(), cache, it);
      return cache.begin();
    }
  }
  return cache.end();
}

template <typename List, typename Entry>
void Remember(List& cache, Entry entry, size_t capacity) {
  cache.push_front(std::move(entry));
  while (cache.size() > capacity) cache.pop_back();
}

}  // namespace

AlbumMapService::AlbumMapService(AlbumLayouts& layouts, index::EncoderProvider& encoders,
                                 VocabularyStore& vocabulary)
    : layouts_(layouts), encoders_(encoders), vocabulary_(vocabulary) {}

Result<ClusteredMap> AlbumMapService::Clusters(const config::Album& album,
                                               std::optional<double> requested_eps,
                                               int min_samples) {
  auto layout = layouts_.Get(album.index);
  if (!layout.ok()) return layout.error();
  const size_t n = (*layout)->snapshot->size();
  ClusteredMap out;
  out.layout = *layout;
  out.min_samples = min_samples;
  out.eps = ResolveAlbumClusterEps((*layout)->xy.data(), n, EpsCachePathForIndex(album.index),
                                   requested_eps, album.umap_eps, min_samples);
  const std::string key =
      CacheKey(album.index, (*layout)->snapshot->generation(), out.eps, min_samples);
  {
    std::lock_guard lock(mu_);
    auto hit = FindEntry(clusters_, key);
    if (hit != clusters_.end() && hit->labels->size() == n) {
      out.labels = hit->labels;
      return out;
    }
  }
  auto labels = Dbscan((*layout)->xy.data(), n, out.eps, min_samples);
  if (!labels.ok()) return labels.error();
  out.labels = std::make_shared<const std::vector<int32_t>>(std::move(labels).value());
  std::lock_guard lock(mu_);
  Remember(clusters_, ClusterEntry{key, out.labels}, kCachedClusterings);
  return out;
}

double AlbumMapService::AutomaticEps(const config::Album& album, int min_samples) {
  auto layout = layouts_.Get(album.index);
  if (!layout.ok() || (*layout)->snapshot->size() == 0) return kFallbackClusterEps;
  return CachedAutomaticClusterEps((*layout)->xy.data(), (*layout)->snapshot->size(),
                                   EpsCachePathForIndex(album.index), min_samples);
}

Result<std::shared_ptr<const PhraseTable>> AlbumMapService::PhrasesFor(
    const index::IndexSnapshot& snapshot, const ProgressFn& progress) {
  auto encoder = encoders_.Get(snapshot.encoder_spec());
  if (!encoder.ok()) return encoder.error();
  return vocabulary_.EmbeddingsFor(**encoder, progress);
}

Result<ClusterLabelSet> AlbumMapService::Labels(const config::Album& album,
                                                std::optional<double> requested_eps,
                                                int min_samples, int top_k) {
  if (top_k < 1) return InvalidInput("top_k must be at least 1");
  auto clustered = Clusters(album, requested_eps, min_samples);
  if (!clustered.ok()) return clustered.error();
  const index::IndexSnapshot& snapshot = *clustered->layout->snapshot;
  const std::string key =
      CacheKey(album.index, snapshot.generation(), clustered->eps, min_samples, top_k);
  {
    std::lock_guard lock(mu_);
    auto hit = FindEntry(label_sets_, key);
    if (hit != label_sets_.end()) return *hit->labels;
  }
  ClusterLabelSet result;
  result.snapshot = clustered->layout->snapshot;
  if (ClusterCount(*clustered->labels) > 0) {
    auto phrases = PhrasesFor(snapshot);
    if (!phrases.ok()) {
      // No names, but the map and its clusters still work; the reply says why.
      result.unavailable_reason = phrases.error().message;
    } else {
      const MatrixView embeddings{snapshot.embeddings().data(), snapshot.size(),
                                  static_cast<size_t>(snapshot.dim())};
      auto labels =
          LabelClusters(embeddings, *clustered->labels,
                        ViewOf((*phrases)->embeddings, (*phrases)->phrases.size(), (*phrases)->dim),
                        (*phrases)->phrases, top_k);
      if (!labels.ok()) return labels.error();
      result.clusters = std::move(labels).value();
    }
  }
  auto shared = std::make_shared<const ClusterLabelSet>(result);
  std::lock_guard lock(mu_);
  Remember(label_sets_, LabelEntry{key, shared}, kCachedLabelSets);
  return result;
}

Result<std::optional<PhraseMatch>> AlbumMapService::ImageLabel(const config::Album& album,
                                                               size_t position, int top_k) {
  if (top_k < 1) return InvalidInput("top_k must be at least 1");
  auto layout = layouts_.Get(album.index);
  if (!layout.ok()) return layout.error();
  const index::IndexSnapshot& snapshot = *(*layout)->snapshot;
  if (position >= snapshot.size()) return std::optional<PhraseMatch>{};
  auto phrases = PhrasesFor(snapshot);
  if (!phrases.ok() || (*phrases)->phrases.empty()) return std::optional<PhraseMatch>{};
  const size_t dim = static_cast<size_t>(snapshot.dim());
  const float* row = snapshot.embeddings().data() + snapshot.RowOfPosition(position) * dim;
  auto match = LabelEmbedding(
      row, dim, ViewOf((*phrases)->embeddings, (*phrases)->phrases.size(), (*phrases)->dim),
      (*phrases)->phrases, top_k);
  if (!match.ok()) return match.error();
  return std::optional<PhraseMatch>(std::move(match).value());
}

Status AlbumMapService::Prepare(const config::Album& album, const ProgressFn& progress) {
  auto scaled = [&progress](double from, double to) -> ProgressFn {
    if (!progress) return {};
    return [&progress, from, to](double f) { return progress(from + (to - from) * f); };
  };
  auto layout = layouts_.Get(album.index, scaled(0.0, 0.8));
  if (!layout.ok()) return layout.error();
  const index::IndexSnapshot& snapshot = *(*layout)->snapshot;
  if (snapshot.size() == 0) return Status::Ok();
  if (!album.umap_eps) {
    CachedAutomaticClusterEps((*layout)->xy.data(), snapshot.size(),
                              EpsCachePathForIndex(album.index), kDefaultClusterMinSamples);
  }
  if (progress && !progress(0.85)) return Cancelled("mapping cancelled");
  auto phrases = PhrasesFor(snapshot, scaled(0.85, 1.0));
  if (!phrases.ok()) {
    if (phrases.error().kind == ErrorKind::kCancelled) return phrases.error();
    spdlog::info("cluster labels for {}: {}", album.key, phrases.error().message);
  }
  return Status::Ok();
}

}  // namespace photomap::map
