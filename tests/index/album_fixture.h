// Test helpers for indexing tests: a temporary album folder filled with copies of the shared
// photos, and an Album pointing at it with the tiny e2e CLIP fixture model ("local:" spec).
#pragma once

#include <unistd.h>

#include <filesystem>
#include <string>
#include <vector>

#include "config/album.h"

namespace photomap::index::testing {

inline std::string FixtureModelSpec() {
  return std::string("local:") + PHOTOMAP_SHARED_DIR + "/fixtures/clip/e2e_clip";
}

class TempAlbum {
 public:
  explicit TempAlbum(const std::string& key = "test") {
    std::string tmpl = std::filesystem::temp_directory_path().string() + "/pm_index_XXXXXX";
    root_ = ::mkdtemp(tmpl.data());
    std::filesystem::create_directories(photos());
    album_.key = key;
    album_.name = key;
    album_.image_paths = {photos()};
    album_.index = photos() + "/photomap_index/embeddings.npz";
    album_.encoder_spec = FixtureModelSpec();
    album_.min_image_bytes = 0;
    album_.min_image_dimension = 0;
  }
  ~TempAlbum() {
    std::error_code ec;
    std::filesystem::remove_all(root_, ec);
  }
  TempAlbum(const TempAlbum&) = delete;
  TempAlbum& operator=(const TempAlbum&) = delete;

  std::string photos() const { return root_ + "/photos"; }
  config::Album& album() { return album_; }

  // Copies the first `count` files (sorted by name) of a shared photo folder; returns the copies.
  std::vector<std::string> CopyShared(const std::string& folder, size_t count = 1000,
                                      size_t skip = 0) {
    std::vector<std::filesystem::path> files;
    for (const auto& e : std::filesystem::directory_iterator(std::string(PHOTOMAP_SHARED_DIR) +
                                                             "/photos/" + folder)) {
      if (e.is_regular_file() && e.path().extension() != ".md") files.push_back(e.path());
    }
    std::sort(files.begin(), files.end());
    std::vector<std::string> out;
    for (size_t i = skip; i < files.size() && out.size() < count; ++i) {
      const auto target = std::filesystem::path(photos()) / files[i].filename();
      std::filesystem::copy_file(files[i], target,
                                 std::filesystem::copy_options::overwrite_existing);
      out.push_back(target.string());
    }
    return out;
  }

 private:
  std::string root_;
  config::Album album_;
};

}  // namespace photomap::index::testing
