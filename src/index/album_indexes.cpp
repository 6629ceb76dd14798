#include "index/album_indexes.h"

#include <filesystem>

#include "index/index_store.h"

namespace photomap::index {

bool AlbumIndexes::Exists(const std::string& album_index_path) {
  const std::string db_path = DatabasePathForIndex(album_index_path);
  std::error_code ec;
  if (!std::filesystem::is_regular_file(db_path, ec)) return false;
  auto store = IndexStore::Open(db_path);
  if (!store.ok()) return false;
  auto encoder = (*store)->PublishedEncoder();
  return encoder.ok() && encoder->has_value();
}

Result<std::shared_ptr<const IndexSnapshot>> AlbumIndexes::Get(
    const std::string& album_index_path) {
  const std::string db_path = DatabasePathForIndex(album_index_path);
  std::error_code ec;
  if (!std::filesystem::is_regular_file(db_path, ec)) return NotFound("Index file does not exist");
  auto store = IndexStore::Open(db_path);
  if (!store.ok()) return store.error();
  auto encoder = (*store)->PublishedEncoder();
  if (!encoder.ok()) return encoder.error();
  if (!encoder->has_value()) return NotFound("Index file does not exist");
  auto generation = (*store)->Generation();
  if (!generation.ok()) return generation.error();
  {
    std::lock_guard lock(mu_);
    auto it = cache_.find(db_path);
    if (it != cache_.end() && it->second->generation() == *generation) return it->second;
  }
  // Read rows and generation in one consistent view would need a transaction; reading the
  // generation first means a concurrent publish at worst makes the next call reload again.
  auto rows = (*store)->LoadPublished();
  if (!rows.ok()) return rows.error();
  auto snapshot = IndexSnapshot::Build(std::move(rows).value(), *generation);
  if (!snapshot.ok()) return snapshot.error();
  auto shared = std::make_shared<const IndexSnapshot>(std::move(snapshot).value());
  std::lock_guard lock(mu_);
  cache_[db_path] = shared;
  return shared;
}

void AlbumIndexes::Drop(const std::string& album_index_path) {
  std::lock_guard lock(mu_);
  cache_.erase(DatabasePathForIndex(album_index_path));
}

}  // namespace photomap::index
