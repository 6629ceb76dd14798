#include "app/search_command.h"

#include <cstdio>

#include "config/config_store.h"
#include "index/album_indexes.h"
#include "index/encoder_provider.h"
#include "media/decoder.h"
#include "model/model_store.h"
#include "search/text_image_search.h"

namespace photomap::app {

int RunSearch(const SearchOptions& options, const Environment& env) {
  auto fail = [](const std::string& message) {
    std::fprintf(stderr, "photomap: %s\n", message.c_str());
    return 1;
  };
  config::ConfigStore store(options.config_path, config::PathContext{env.home, env.UserDataDir()});
  auto config = store.Snapshot();
  if (!config.ok()) return fail(config.error().message);
  const config::Album* album = (*config)->FindAlbum(options.album_key);
  if (album == nullptr) return fail("Album '" + options.album_key + "' not found");
  const std::string root = env.ModelStoreDir(options.model_dir);
  index::EncoderProvider encoders(root);
  index::AlbumIndexes indexes;
  auto snapshot = indexes.Get(album->index);
  if (!snapshot.ok()) {
    return fail(snapshot.error().message + " (run `photomap index --album " + album->key + "`)");
  }
  auto encoder = encoders.Get(album->encoder_spec);
  if (!encoder.ok()) return fail(encoder.error().message);
  search::SearchRequest request;
  request.positive_query = options.query;
  request.negative_query = options.negative;
  request.min_score = options.min_score;
  request.max_results = options.limit;
  request.use_query_optimization = album->use_query_optimization;
  if (!options.image_path.empty()) {
    auto image = media::DecodeImage(options.image_path);
    if (!image.ok()) return fail(image.error().message);
    request.image = std::move(image).value();
  }
  auto hits = search::SearchIndex(**snapshot, **encoder, request);
  if (!hits.ok()) return fail(hits.error().message);
  for (const auto& h : *hits) {
    std::printf("%.4f\t%s\n", h.score, (*snapshot)->AtPosition(h.position).path.c_str());
  }
  return 0;
}

}  // namespace photomap::app
