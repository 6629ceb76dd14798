#include "app/map_stack.h"

#include <string>
#include <vector>

namespace photomap::app {

namespace {

std::vector<std::string> VocabularyFiles(const Environment& env) {
  const std::string config_home = env.xdg_config_home && !env.xdg_config_home->empty()
                                      ? *env.xdg_config_home
                                      : env.home + "/.config";
  return {std::string(PHOTOMAP_DATA_DIR) + "/cluster_vocab.txt",
          config_home + "/photomap/cluster_vocab_extra.txt"};
}

}  // namespace

MapStack::MapStack(index::AlbumIndexes& indexes, index::EncoderProvider& encoders,
                   const Environment& env)
    : layouts_(indexes),
      vocabulary_(VocabularyFiles(env), env.UserCacheDir() + "/cluster_vocab"),
      service_(layouts_, encoders, vocabulary_) {}

index::MappingStep MapStack::MappingStep() {
  return [this](const config::Album& album, const std::function<bool(double)>& progress) {
    return service_.Prepare(album, progress);
  };
}

}  // namespace photomap::app
