// MapStack: the semantic-map objects a photomap process shares — stored layouts, the label
// vocabulary (bundled data/cluster_vocab.txt + the user's cluster_vocab_extra.txt) with its
// embedding cache, and the AlbumMapService the routes and the indexing job's mapping phase use.
#pragma once

#include "app/environment.h"
#include "index/album_indexes.h"
#include "index/encoder_provider.h"
#include "index/job_queue.h"
#include "map/album_layouts.h"
#include "map/album_map_service.h"
#include "map/vocabulary_store.h"

namespace photomap::app {

class MapStack {
 public:
  MapStack(index::AlbumIndexes& indexes, index::EncoderProvider& encoders, const Environment& env);
  MapStack(const MapStack&) = delete;
  MapStack& operator=(const MapStack&) = delete;

  map::AlbumMapService& service() { return service_; }
  // The indexing job's mapping phase (AlbumMapService::Prepare).
  index::MappingStep MappingStep();

 private:
  map::AlbumLayouts layouts_;
  map::VocabularyStore vocabulary_;
  map::AlbumMapService service_;
};

}  // namespace photomap::app
