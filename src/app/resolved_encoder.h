// Saving what an album's "auto" encoder resolved to at its first indexing into config.yaml, for
// both `photomap serve` and `photomap index` (wired as the EncoderProvider's SpecRecorder).
#pragma once

#include <string>

#include "config/config_store.h"
#include "util/status.h"

namespace photomap::app {

// Sets album `album_key`'s encoder_spec (and a still-default score floor) to `spec`.
// Errors: NotFound for an unknown key; the store's errors.
Status SaveResolvedEncoder(config::ConfigStore& store, const std::string& album_key,
                           const std::string& spec);

}  // namespace photomap::app
