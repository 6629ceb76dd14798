// IndexStore: one album's index in one SQLite file (WAL). Published rows are what queries see;
// an indexing job writes its results to a staging table and makes them visible with one
// Publish() transaction, so a cancelled or killed job never changes the published index while
// everything it encoded stays on disk as a checkpoint for the next run.
//
// Schema and BLOB layout: docs/formats.md ("Index database"). One IndexStore per thread; other
// threads and processes may open the same file concurrently (SQLite serialises writers).
#pragma once

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "index/index_record.h"
#include "index/sqlite_db.h"
#include "util/status.h"

namespace photomap::index {

inline constexpr int kSchemaVersion = 1;

// What the scanner needs to know about a stored file to decide whether it changed.
struct StoredStamp {
  int64_t size_bytes = 0;
  double mtime = 0;
  std::string encoder_spec;
};

struct PublishPlan {
  std::string encoder_spec;               // staged rows with this encoder are published
  std::vector<std::string> remove_paths;  // published rows to delete (files gone)
  bool drop_other_encoders = false;       // an encoder change: the old rows go with this publish
};

class IndexStore {
 public:
  // Opens or creates the database and migrates it to kSchemaVersion. Errors: Io (cannot
  // create), Corrupt (not a database, or a schema newer than this photomap understands).
  static Result<std::unique_ptr<IndexStore>> Open(const std::string& db_path);

  const std::string& path() const { return db_->path(); }

  Result<std::optional<std::string>> GetMeta(const std::string& key);
  Status SetMeta(const std::string& key, const std::string& value);

  // The published encoder spec, or nullopt for an empty index.
  Result<std::optional<std::string>> PublishedEncoder();

  // Published and staged files keyed by path.
  Result<std::map<std::string, StoredStamp>> PublishedStamps();
  Result<std::map<std::string, StoredStamp>> StagedStamps();

  // Writes encoded rows to staging in one transaction (replacing staged rows of the same path).
  Status Stage(const std::vector<ImageRecord>& records);
  // Drops staged rows (all, or those whose encoder differs from `keep_encoder`).
  Status ClearStaged(const std::optional<std::string>& keep_encoder = std::nullopt);
  // Drops the staged rows of these paths (stale checkpoints: files gone or changed again).
  Status RemoveStaged(const std::vector<std::string>& paths);

  // Publishes atomically: staged rows of plan.encoder_spec replace or join the published ones
  // (a changed file keeps its row id), removed paths disappear, other encoders' rows go when
  // asked; the staging table is emptied of what was published; the generation advances.
  Status Publish(const PublishPlan& plan);

  // Deletes published rows by id / changes a row's path (delete and move of files).
  Status RemoveRows(const std::vector<int64_t>& ids);
  Status UpdatePath(int64_t id, const std::string& new_path);

  // All published rows with embeddings, in row-id order.
  Result<std::vector<ImageRecord>> LoadPublished();
  // Advances with every change to the published rows; lets caches notice staleness.
  Result<int64_t> Generation();

 private:
  explicit IndexStore(std::unique_ptr<Db> db) : db_(std::move(db)) {}
  Status Migrate();
  Status BumpGeneration();

  std::unique_ptr<Db> db_;
};

// The database file that belongs to an album's `index` setting: "…/embeddings.npz" →
// "…/embeddings.photomap.sqlite" (PhotoMapAI's folder convention stays valid).
std::string DatabasePathForIndex(const std::string& album_index_path);

}  // namespace photomap::index
