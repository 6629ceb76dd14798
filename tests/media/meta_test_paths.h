// Where the shared test photos live, for the media_meta tests.
#pragma once

#include <filesystem>
#include <string>

namespace photomap::media::testing {

inline std::filesystem::path Photo(const std::string& relative) {
  return std::filesystem::path(PHOTOMAP_SHARED_DIR) / "photos" / relative;
}

}  // namespace photomap::media::testing
