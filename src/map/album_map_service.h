// AlbumMapService: what the map routes and the indexing job's mapping phase ask of an album's
// semantic map — clusters at a Cluster Strength, cluster and image labels, the automatic eps —
// on top of AlbumLayouts, the vocabulary and the encoder the album was indexed with.
//
// Labels use the encoder recorded in the index (the one its embeddings came from). An encoder
// without a text tower (classic:v1) or a missing model gives an empty label set with the reason.
// DBSCAN results and label sets are cached per (index generation, eps, min_samples[, top_k]).
// Thread-safe.
#pragma once

#include <cstdint>
#include <list>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "config/album.h"
#include "index/encoder_provider.h"
#include "map/album_layouts.h"
#include "map/cluster_labels.h"
#include "map/vocabulary_store.h"
#include "util/status.h"

namespace photomap::map {

struct ClusteredMap {
  std::shared_ptr<const AlbumLayout> layout;
  double eps = 0;
  int min_samples = 0;
  std::shared_ptr<const std::vector<int32_t>> labels;  // DBSCAN label per snapshot row
};

struct ClusterLabelSet {
  std::shared_ptr<const index::IndexSnapshot> snapshot;  // the index the rows below refer to
  std::vector<ClusterLabel> clusters;  // ascending cluster id; medoid_row is a snapshot row
  std::string unavailable_reason;      // why there are no labels, when that is not "no clusters"
};

class AlbumMapService {
 public:
  AlbumMapService(AlbumLayouts& layouts, index::EncoderProvider& encoders,
                  VocabularyStore& vocabulary);
  AlbumMapService(const AlbumMapService&) = delete;
  AlbumMapService& operator=(const AlbumMapService&) = delete;

  // The album's map clustered at `requested_eps`, else the album's stored eps, else the automatic
  // one. Errors: NotFound (no index), AlbumLayouts' errors.
  Result<ClusteredMap> Clusters(const config::Album& album, std::optional<double> requested_eps,
                                int min_samples);

  // /get_umap_eps without a stored value: the automatic eps of the current map, 0.2 without an
  // index or rows.
  double AutomaticEps(const config::Album& album, int min_samples);

  // Cluster labels (backend-spec §6.4) of Clusters(album, eps, min_samples).
  Result<ClusterLabelSet> Labels(const config::Album& album, std::optional<double> requested_eps,
                                 int min_samples, int top_k);

  // The label of the image at API position `position`; nullopt when out of range or when no
  // vocabulary can be had. Errors: NotFound (no index).
  Result<std::optional<PhraseMatch>> ImageLabel(const config::Album& album, size_t position,
                                                int top_k);

  // The mapping phase of an indexing run: brings the layout up to date, caches the automatic eps
  // and encodes the vocabulary for the album's encoder, reporting progress in [0, 1]. A label
  // vocabulary that cannot be encoded is logged, not an error. Errors: Cancelled, layout errors.
  Status Prepare(const config::Album& album, const ProgressFn& progress);

 private:
  struct ClusterEntry {
    std::string key;
    std::shared_ptr<const std::vector<int32_t>> labels;
  };
  struct LabelEntry {
    std::string key;
    std::shared_ptr<const ClusterLabelSet> labels;
  };
  // The phrase table for the encoder the snapshot was built with, or the reason there is none.
  Result<std::shared_ptr<const PhraseTable>> PhrasesFor(const index::IndexSnapshot& snapshot,
                                                        const ProgressFn& progress = {});

  AlbumLayouts& layouts_;
  index::EncoderProvider& encoders_;
  VocabularyStore& vocabulary_;
  std::mutex mu_;                     // guards the caches
  std::list<ClusterEntry> clusters_;  // most recent first
  std::list<LabelEntry> label_sets_;  // most recent first
};

}  // namespace photomap::map
