// RAII wrappers for SQLite (sqlite3 + sqlite3_stmt). Every failure becomes an Error naming the
// database file and the statement. A Db is used by one thread at a time (open one per thread);
// SQLite's own locking makes several connections to one file safe (WAL mode).
#pragma once

#include <sqlite3.h>

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "util/status.h"

namespace photomap::index {

class Statement {
 public:
  Statement(sqlite3_stmt* stmt, std::string db_path) : stmt_(stmt), db_path_(std::move(db_path)) {}
  Statement(Statement&& other) noexcept;
  Statement& operator=(Statement&&) = delete;
  Statement(const Statement&) = delete;
  ~Statement();

  Statement& Bind(int i, int64_t v);
  Statement& Bind(int i, double v);
  Statement& Bind(int i, std::string_view v);
  Statement& BindBlob(int i, const void* data, size_t bytes);
  Statement& BindNull(int i);

  // Steps once. Returns true when a row is available, false when done. Errors: Corrupt/Io with
  // the SQLite message.
  Result<bool> Step();
  // Runs to completion, ignoring rows.
  Status Run();
  void Reset();

  int64_t Int(int col) const { return sqlite3_column_int64(stmt_, col); }
  double Double(int col) const { return sqlite3_column_double(stmt_, col); }
  bool IsNull(int col) const { return sqlite3_column_type(stmt_, col) == SQLITE_NULL; }
  std::string Text(int col) const;
  // A view of a BLOB column, valid until the next Step/Reset.
  std::pair<const void*, size_t> Blob(int col) const;

 private:
  sqlite3_stmt* stmt_;
  std::string db_path_;
};

class Db {
 public:
  // Opens (creating if needed) the database at `path` with WAL, foreign keys and a busy
  // timeout. Errors: Io when the file cannot be opened, Corrupt when it is not a database.
  static Result<std::unique_ptr<Db>> Open(const std::string& path);
  ~Db();
  Db(const Db&) = delete;
  Db& operator=(const Db&) = delete;

  const std::string& path() const { return path_; }
  Status Exec(const std::string& sql);
  Result<Statement> Prepare(const std::string& sql);

  // Runs `body` inside BEGIN IMMEDIATE … COMMIT; rolls back when it fails.
  template <typename F>
  Status Transaction(F&& body) {
    PHOTOMAP_RETURN_IF_ERROR(Exec("BEGIN IMMEDIATE"));
    Status s = body();
    if (!s.ok()) {
      (void)Exec("ROLLBACK");
      return s;
    }
    return Exec("COMMIT");
  }

 private:
  Db(sqlite3* db, std::string path) : db_(db), path_(std::move(path)) {}
  Error ErrorFor(const std::string& what, int rc) const;

  sqlite3* db_;
  std::string path_;
  friend class Statement;
};

// Maps an SQLite result code to an error kind: CORRUPT/NOTADB → Corrupt, BUSY/LOCKED → Busy,
// everything else → Io.
ErrorKind SqliteErrorKind(int rc);

}  // namespace photomap::index
