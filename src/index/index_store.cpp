#include "index/index_store.h"

#include <cstring>

namespace photomap::index {
namespace {

constexpr const char* kSchemaV1 = R"sql(
CREATE TABLE IF NOT EXISTS meta(key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS images(
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  path TEXT NOT NULL UNIQUE,
  size_bytes INTEGER NOT NULL,
  mtime REAL NOT NULL,
  sort_time REAL NOT NULL,
  media_type TEXT NOT NULL,
  width INTEGER NOT NULL,
  height INTEGER NOT NULL,
  metadata TEXT NOT NULL,
  encoder_spec TEXT NOT NULL,
  embedding BLOB NOT NULL);
CREATE TABLE IF NOT EXISTS staged(
  path TEXT PRIMARY KEY,
  size_bytes INTEGER NOT NULL,
  mtime REAL NOT NULL,
  sort_time REAL NOT NULL,
  media_type TEXT NOT NULL,
  width INTEGER NOT NULL,
  height INTEGER NOT NULL,
  metadata TEXT NOT NULL,
  encoder_spec TEXT NOT NULL,
  embedding BLOB NOT NULL);
)sql";

const char* kColumns =
    "path, size_bytes, mtime, sort_time, media_type, width, height, metadata, encoder_spec, "
    "embedding";

}  // namespace

std::string DatabasePathForIndex(const std::string& album_index_path) {
  std::string base = album_index_path;
  const std::string npz = ".npz";
  if (base.size() >= npz.size() && base.compare(base.size() - npz.size(), npz.size(), npz) == 0) {
    base.resize(base.size() - npz.size());
  }
  return base + ".photomap.sqlite";
}

Result<std::unique_ptr<IndexStore>> IndexStore::Open(const std::string& db_path) {
  auto db = Db::Open(db_path);
  if (!db.ok()) return db.error();
  std::unique_ptr<IndexStore> store(new IndexStore(std::move(db).value()));
  PHOTOMAP_RETURN_IF_ERROR(store->Migrate());
  return store;
}

Status IndexStore::Migrate() {
  PHOTOMAP_RETURN_IF_ERROR(
      db_->Exec("CREATE TABLE IF NOT EXISTS meta(key TEXT PRIMARY KEY, value TEXT NOT NULL)"));
  auto version = GetMeta("schema_version");
  if (!version.ok()) return version.error();
  int current = version->has_value() ? std::atoi((*version)->c_str()) : 0;
  if (current > kSchemaVersion) {
    return Corrupt(path() + ": index schema version " + std::to_string(current) +
                   " is newer than this photomap understands (" + std::to_string(kSchemaVersion) +
                   "); upgrade photomap or remove the index to rebuild it");
  }
  if (current == kSchemaVersion) return Status::Ok();
  // Forward migrations run in order inside one transaction; v0 → v1 creates the schema.
  return db_->Transaction([&]() -> Status {
    if (current < 1) PHOTOMAP_RETURN_IF_ERROR(db_->Exec(kSchemaV1));
    return SetMeta("schema_version", std::to_string(kSchemaVersion));
  });
}

Result<std::optional<std::string>> IndexStore::GetMeta(const std::string& key) {
  auto stmt = db_->Prepare("SELECT value FROM meta WHERE key = ?");
  if (!stmt.ok()) return stmt.error();
  stmt->Bind(1, key);
  auto row = stmt->Step();
  if (!row.ok()) return row.error();
  if (!*row) return std::optional<std::string>();
  return std::optional<std::string>(stmt->Text(0));
}

Status IndexStore::SetMeta(const std::string& key, const std::string& value) {
  auto stmt = db_->Prepare(
      "INSERT INTO meta(key, value) VALUES(?, ?) "
      "ON CONFLICT(key) DO UPDATE SET value = excluded.value");
  if (!stmt.ok()) return stmt.error();
  stmt->Bind(1, key).Bind(2, value);
  return stmt->Run();
}

Result<std::optional<std::string>> IndexStore::PublishedEncoder() {
  return GetMeta("encoder_spec");
}

namespace {

Result<std::map<std::string, StoredStamp>> Stamps(Db& db, const char* table) {
  auto stmt = db.Prepare(std::string("SELECT path, size_bytes, mtime, encoder_spec FROM ") + table);
  if (!stmt.ok()) return stmt.error();
  std::map<std::string, StoredStamp> out;
  while (true) {
    auto row = stmt->Step();
    if (!row.ok()) return row.error();
    if (!*row) break;
    out[stmt->Text(0)] = StoredStamp{stmt->Int(1), stmt->Double(2), stmt->Text(3)};
  }
  return out;
}

}  // namespace

Result<std::map<std::string, StoredStamp>> IndexStore::PublishedStamps() {
  return Stamps(*db_, "images");
}

Result<std::map<std::string, StoredStamp>> IndexStore::StagedStamps() {
  return Stamps(*db_, "staged");
}

Status IndexStore::Stage(const std::vector<ImageRecord>& records) {
  return db_->Transaction([&]() -> Status {
    auto stmt = db_->Prepare(std::string("INSERT OR REPLACE INTO staged(") + kColumns +
                             ") VALUES(?,?,?,?,?,?,?,?,?,?)");
    if (!stmt.ok()) return stmt.error();
    for (const ImageRecord& r : records) {
      stmt->Bind(1, r.path).Bind(2, r.size_bytes).Bind(3, r.mtime).Bind(4, r.sort_time);
      stmt->Bind(5, r.media_type).Bind(6, static_cast<int64_t>(r.width));
      stmt->Bind(7, static_cast<int64_t>(r.height));
      stmt->Bind(
          8, r.metadata_json.empty() ? std::string_view("{}") : std::string_view(r.metadata_json));
      stmt->Bind(9, r.encoder_spec);
      stmt->BindBlob(10, r.embedding.data(), r.embedding.size() * sizeof(float));
      PHOTOMAP_RETURN_IF_ERROR(stmt->Run());
    }
    return Status::Ok();
  });
}

Status IndexStore::ClearStaged(const std::optional<std::string>& keep_encoder) {
  if (!keep_encoder) return db_->Exec("DELETE FROM staged");
  auto stmt = db_->Prepare("DELETE FROM staged WHERE encoder_spec <> ?");
  if (!stmt.ok()) return stmt.error();
  stmt->Bind(1, *keep_encoder);
  return stmt->Run();
}

Status IndexStore::RemoveStaged(const std::vector<std::string>& paths) {
  if (paths.empty()) return Status::Ok();
  return db_->Transaction([&]() -> Status {
    auto stmt = db_->Prepare("DELETE FROM staged WHERE path = ?");
    if (!stmt.ok()) return stmt.error();
    for (const auto& p : paths) {
      stmt->Bind(1, p);
      PHOTOMAP_RETURN_IF_ERROR(stmt->Run());
    }
    return Status::Ok();
  });
}

Status IndexStore::BumpGeneration() {
  return db_->Exec(
      "INSERT INTO meta(key, value) VALUES('generation', '1') ON CONFLICT(key) DO UPDATE SET "
      "value = CAST(CAST(value AS INTEGER) + 1 AS TEXT)");
}

Status IndexStore::Publish(const PublishPlan& plan) {
  return db_->Transaction([&]() -> Status {
    if (plan.drop_other_encoders) {
      auto drop = db_->Prepare("DELETE FROM images WHERE encoder_spec <> ?");
      if (!drop.ok()) return drop.error();
      drop->Bind(1, plan.encoder_spec);
      PHOTOMAP_RETURN_IF_ERROR(drop->Run());
    }
    auto remove = db_->Prepare("DELETE FROM images WHERE path = ?");
    if (!remove.ok()) return remove.error();
    for (const auto& p : plan.remove_paths) {
      remove->Bind(1, p);
      PHOTOMAP_RETURN_IF_ERROR(remove->Run());
    }
    // An upsert keeps the row id of a changed file, so the row stays the same image.
    auto move =
        db_->Prepare(std::string("INSERT INTO images(") + kColumns + ") SELECT " + kColumns +
                     " FROM staged WHERE encoder_spec = ? AND true "
                     "ON CONFLICT(path) DO UPDATE SET size_bytes = excluded.size_bytes, "
                     "mtime = excluded.mtime, sort_time = excluded.sort_time, "
                     "media_type = excluded.media_type, width = excluded.width, "
                     "height = excluded.height, metadata = excluded.metadata, "
                     "encoder_spec = excluded.encoder_spec, embedding = excluded.embedding");
    if (!move.ok()) return move.error();
    move->Bind(1, plan.encoder_spec);
    PHOTOMAP_RETURN_IF_ERROR(move->Run());
    auto clear = db_->Prepare("DELETE FROM staged WHERE encoder_spec = ?");
    if (!clear.ok()) return clear.error();
    clear->Bind(1, plan.encoder_spec);
    PHOTOMAP_RETURN_IF_ERROR(clear->Run());
    PHOTOMAP_RETURN_IF_ERROR(SetMeta("encoder_spec", plan.encoder_spec));
    return BumpGeneration();
  });
}

Status IndexStore::RemoveRows(const std::vector<int64_t>& ids) {
  return db_->Transaction([&]() -> Status {
    auto stmt = db_->Prepare("DELETE FROM images WHERE id = ?");
    if (!stmt.ok()) return stmt.error();
    for (int64_t id : ids) {
      stmt->Bind(1, id);
      PHOTOMAP_RETURN_IF_ERROR(stmt->Run());
    }
    return BumpGeneration();
  });
}

Status IndexStore::UpdatePath(int64_t id, const std::string& new_path) {
  return db_->Transaction([&]() -> Status {
    auto stmt = db_->Prepare("UPDATE images SET path = ? WHERE id = ?");
    if (!stmt.ok()) return stmt.error();
    stmt->Bind(1, new_path).Bind(2, id);
    PHOTOMAP_RETURN_IF_ERROR(stmt->Run());
    return BumpGeneration();
  });
}

Result<std::vector<ImageRecord>> IndexStore::LoadPublished() {
  auto stmt = db_->Prepare(std::string("SELECT id, ") + kColumns + " FROM images ORDER BY id");
  if (!stmt.ok()) return stmt.error();
  std::vector<ImageRecord> out;
  while (true) {
    auto row = stmt->Step();
    if (!row.ok()) return row.error();
    if (!*row) break;
    ImageRecord r;
    r.id = stmt->Int(0);
    r.path = stmt->Text(1);
    r.size_bytes = stmt->Int(2);
    r.mtime = stmt->Double(3);
    r.sort_time = stmt->Double(4);
    r.media_type = stmt->Text(5);
    r.width = static_cast<int>(stmt->Int(6));
    r.height = static_cast<int>(stmt->Int(7));
    r.metadata_json = stmt->Text(8);
    r.encoder_spec = stmt->Text(9);
    auto [data, bytes] = stmt->Blob(10);
    if (bytes % sizeof(float) != 0) {
      return Corrupt(path() + ": embedding of " + r.path + " has " + std::to_string(bytes) +
                     " bytes, not a whole number of float32 values; re-index the album");
    }
    r.embedding.resize(bytes / sizeof(float));
    if (bytes > 0) std::memcpy(r.embedding.data(), data, bytes);
    out.push_back(std::move(r));
  }
  return out;
}

Result<int64_t> IndexStore::Generation() {
  auto g = GetMeta("generation");
  if (!g.ok()) return g.error();
  return g->has_value() ? static_cast<int64_t>(std::atoll((*g)->c_str())) : int64_t{0};
}

}  // namespace photomap::index
