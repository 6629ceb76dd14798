// LayoutFile: the persisted semantic-map layout of one album, next to its index database
// ("…/embeddings.npz" → "…/embeddings.photomap.umap"). It records which published rows the
// layout belongs to (row id + a checksum of the row's embedding, so an edited file that keeps
// its row id is seen as changed) and how far the layout has drifted from its last full fit, so
// the next update can place only new rows (stable growth, docs/map.md).
//
// Binary, little-endian (docs/formats.md "Map layout file"). Written atomically; a reader sees
// the old or the new file, never a mix. Pure functions; thread-safe.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "util/status.h"

namespace photomap::map {

inline constexpr uint32_t kLayoutFileVersion = 1;

struct StoredLayout {
  std::string encoder_spec;         // the encoder of the rows it was computed from
  uint64_t seed = 0;                // UmapParams::seed of the fit
  uint64_t fit_rows = 0;            // rows of the last full fit
  uint64_t drift_rows = 0;          // rows added or removed incrementally since that fit
  std::vector<int64_t> row_ids;     // the index rows, in the order of `xy`
  std::vector<uint32_t> checksums;  // EmbeddingChecksum of each row's embedding
  std::vector<float> xy;            // x/y interleaved, 2 per row

  size_t size() const { return row_ids.size(); }
};

// The layout file that belongs to an album's `index` setting.
std::string LayoutPathForIndex(const std::string& album_index_path);

// FNV-1a over the embedding's bytes: cheap change detection, not a security hash.
uint32_t EmbeddingChecksum(const float* embedding, size_t dim);

// Serialises / parses the file's bytes. Parse errors: Corrupt naming what is wrong.
std::string EncodeLayout(const StoredLayout& layout);
Result<StoredLayout> DecodeLayout(const std::string& bytes);

// Reads the file; nullopt when it does not exist. Errors: Io, Corrupt.
Result<std::optional<StoredLayout>> ReadLayoutFile(const std::string& path);
// Writes the file atomically. Errors: Io.
Status WriteLayoutFile(const std::string& path, const StoredLayout& layout);

}  // namespace photomap::map
