// ConfigStore: the process's one owner of config.yaml. Thread-safe.
//
// Reads are cheap snapshots; the file is re-read whenever its size, mtime or inode changes, so
// hand edits are seen without a restart. A file that does not parse is never overwritten: every
// mutation is refused with the parse error (file, line, cause) until the user fixes it.
// Mutations re-read the file, apply the change and write it atomically (mode 0600 for a new
// file, existing mode kept, symlinks followed); a failed write leaves the old file intact and
// the in-memory state unchanged.
#pragma once

#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "config/config_file.h"
#include "config/path_context.h"
#include "util/status.h"

namespace photomap::config {

class ConfigStore {
 public:
  ConfigStore(std::string path, PathContext paths);
  ConfigStore(const ConfigStore&) = delete;
  ConfigStore& operator=(const ConfigStore&) = delete;

  const std::string& path() const { return path_; }
  const PathContext& paths() const { return paths_; }

  // The current configuration. A missing file is an empty config. Errors: Corrupt when the file
  // does not parse (message names the file and line), Io when it cannot be read.
  Result<std::shared_ptr<const Config>> Snapshot();

  // The error that makes the file unusable, or nullopt when it loads.
  std::optional<Error> LoadError();

  // Applies `mutate` to a fresh copy of the config and saves it. `mutate` returns an error to
  // abort without writing. Errors: the load error (file unusable), mutate's error, or Io.
  Status Update(const std::function<Status(Config&)>& mutate);

  Status AddAlbum(const Album& album);         // AlreadyExists if the key is taken
  Status ReplaceAlbum(const Album& album);     // NotFound if the key is unknown
  Status DeleteAlbum(const std::string& key);  // NotFound if the key is unknown

  // Repairs/migrations applied while loading, drained for logging.
  std::vector<LoadNotice> TakeNotices();

 private:
  struct FileStamp {
    bool exists = false;
    long long size = 0;
    long long mtime_ns = 0;
    unsigned long long inode = 0;
    bool operator==(const FileStamp&) const = default;
  };
  FileStamp Stat() const;
  // Requires mu_ held. Reloads when the file changed since the last load.
  void RefreshLocked();

  const std::string path_;
  const PathContext paths_;
  std::mutex mu_;
  std::optional<FileStamp> loaded_stamp_;
  std::shared_ptr<const Config> config_;
  std::optional<Error> load_error_;
  std::vector<LoadNotice> notices_;
};

}  // namespace photomap::config
