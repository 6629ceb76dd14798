#include "map/album_layouts.h"

#include <spdlog/spdlog.h>

#include "map/layout_file.h"
#include "map/layout_update.h"

namespace photomap::map {

namespace {

const char* UpdateName(MapUpdate update) {
  switch (update) {
    case MapUpdate::kKeep:
      return "kept";
    case MapUpdate::kIncremental:
      return "placed new rows";
    case MapUpdate::kRefit:
      return "refitted";
  }
  return "?";
}

}  // namespace

AlbumLayouts::AlbumLayouts(index::AlbumIndexes& indexes, AlbumLayoutOptions options)
    : indexes_(indexes), options_(std::move(options)) {}

std::shared_ptr<AlbumLayouts::Slot> AlbumLayouts::SlotFor(const std::string& album_index_path) {
  std::lock_guard lock(mu_);
  auto& slot = slots_[album_index_path];
  if (!slot) slot = std::make_shared<Slot>();
  return slot;
}

void AlbumLayouts::Drop(const std::string& album_index_path) {
  std::lock_guard lock(mu_);
  slots_.erase(album_index_path);
}

Result<std::shared_ptr<const AlbumLayout>> AlbumLayouts::Get(const std::string& album_index_path,
                                                             const ProgressFn& progress,
                                                             bool force_refit) {
  auto snapshot = indexes_.Get(album_index_path);
  if (!snapshot.ok()) return snapshot.error();
  auto slot = SlotFor(album_index_path);
  std::lock_guard compute(slot->compute);
  if (!force_refit && slot->current && slot->current->snapshot == *snapshot) return slot->current;

  const std::string path = LayoutPathForIndex(album_index_path);
  auto stored = ReadLayoutFile(path);
  std::optional<StoredLayout> previous;
  if (stored.ok()) {
    previous = std::move(stored).value();
  } else {
    spdlog::warn("{}; the map will be recomputed", stored.error().message);
  }
  const index::IndexSnapshot& rows = **snapshot;
  std::vector<int64_t> row_ids(rows.size());
  for (size_t r = 0; r < rows.size(); ++r) row_ids[r] = rows.Row(r).id;
  const MatrixView embeddings{rows.embeddings().data(), rows.size(),
                              static_cast<size_t>(rows.dim())};
  auto update = UpdateLayout(embeddings, row_ids, rows.encoder_spec(), previous, options_.umap,
                             options_.policy, force_refit, progress);
  if (!update.ok()) return update.error();

  const bool unchanged =
      previous && update->kind == MapUpdate::kKeep && previous->row_ids == update->layout.row_ids;
  if (!unchanged) {
    Status written = WriteLayoutFile(path, update->layout);
    if (!written.ok()) spdlog::warn("map layout not saved: {}", written.error().message);
    spdlog::info("map of {}: {} ({} rows, {} added, {} removed)", album_index_path,
                 UpdateName(update->kind), rows.size(), update->added, update->removed);
  }
  auto layout = std::make_shared<AlbumLayout>();
  layout->snapshot = *snapshot;
  layout->xy = std::move(update->layout.xy);
  layout->update = update->kind;
  slot->current = layout;
  return slot->current;
}

}  // namespace photomap::map
