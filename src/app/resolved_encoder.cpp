#include "app/resolved_encoder.h"

#include "config/album.h"

namespace photomap::app {

Status SaveResolvedEncoder(config::ConfigStore& store, const std::string& album_key,
                           const std::string& spec) {
  return store.Update([&](config::Config& c) -> Status {
    for (auto& a : c.albums) {
      if (a.key == album_key) {
        config::SetResolvedEncoder(a, spec);
        return Status::Ok();
      }
    }
    return NotFound("Album '" + album_key + "' not found");
  });
}

}  // namespace photomap::app
