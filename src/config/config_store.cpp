#include "config/config_store.h"

#include <sys/stat.h>

#include <algorithm>
#include <cerrno>
#include <filesystem>

#include "util/atomic_file.h"

namespace photomap::config {

ConfigStore::ConfigStore(std::string path, PathContext paths)
    : path_(std::move(path)), paths_(std::move(paths)) {}

ConfigStore::FileStamp ConfigStore::Stat() const {
  FileStamp stamp;
  struct stat st {};
  if (::stat(path_.c_str(), &st) == 0) {
    stamp.exists = true;
    stamp.size = st.st_size;
    stamp.mtime_ns = static_cast<long long>(st.st_mtim.tv_sec) * 1000000000LL + st.st_mtim.tv_nsec;
    stamp.inode = st.st_ino;
  }
  return stamp;
}

void ConfigStore::RefreshLocked() {
  const FileStamp stamp = Stat();
  if (loaded_stamp_ && *loaded_stamp_ == stamp) return;
  loaded_stamp_ = stamp;
  load_error_.reset();
  if (!stamp.exists) {
    config_ = std::make_shared<const Config>();
    return;
  }
  Result<std::string> text = ReadFileToString(path_);
  if (!text.ok()) {
    load_error_ = text.error();
    config_.reset();
    return;
  }
  Result<Config> parsed = ParseConfigYaml(*text, path_, paths_, &notices_);
  if (!parsed.ok()) {
    load_error_ = parsed.error();
    config_.reset();
    return;
  }
  config_ = std::make_shared<const Config>(std::move(parsed).value());
}

Result<std::shared_ptr<const Config>> ConfigStore::Snapshot() {
  std::lock_guard<std::mutex> lock(mu_);
  RefreshLocked();
  if (load_error_) return *load_error_;
  return config_;
}

std::optional<Error> ConfigStore::LoadError() {
  std::lock_guard<std::mutex> lock(mu_);
  RefreshLocked();
  return load_error_;
}

std::vector<LoadNotice> ConfigStore::TakeNotices() {
  std::lock_guard<std::mutex> lock(mu_);
  return std::exchange(notices_, {});
}

Status ConfigStore::Update(const std::function<Status(Config&)>& mutate) {
  std::lock_guard<std::mutex> lock(mu_);
  loaded_stamp_.reset();  // always act on what is on disk now
  RefreshLocked();
  if (load_error_) {
    return Error{load_error_->kind,
                 load_error_->message + " Changes are refused until the file is fixed."};
  }
  Config next = *config_;
  PHOTOMAP_RETURN_IF_ERROR(mutate(next));
  // The file lists albums by key (as PyYAML writes them); keep memory in the same order.
  std::stable_sort(next.albums.begin(), next.albums.end(),
                   [](const Album& a, const Album& b) { return a.key < b.key; });
  std::error_code ec;
  const std::filesystem::path parent = std::filesystem::path(path_).parent_path();
  if (!parent.empty()) std::filesystem::create_directories(parent, ec);
  PHOTOMAP_RETURN_IF_ERROR(AtomicWriteFile(path_, SerializeConfigYaml(next)));
  config_ = std::make_shared<const Config>(std::move(next));
  loaded_stamp_ = Stat();
  return Status::Ok();
}

Status ConfigStore::AddAlbum(const Album& album) {
  return Update([&](Config& c) -> Status {
    if (c.FindAlbum(album.key) != nullptr) {
      return AlreadyExists("Album '" + album.key + "' already exists");
    }
    c.albums.push_back(album);
    return Status::Ok();
  });
}

Status ConfigStore::ReplaceAlbum(const Album& album) {
  return Update([&](Config& c) -> Status {
    for (auto& a : c.albums) {
      if (a.key == album.key) {
        a = album;
        return Status::Ok();
      }
    }
    return NotFound("Album '" + album.key + "' not found");
  });
}

Status ConfigStore::DeleteAlbum(const std::string& key) {
  return Update([&](Config& c) -> Status {
    for (auto it = c.albums.begin(); it != c.albums.end(); ++it) {
      if (it->key == key) {
        c.albums.erase(it);
        return Status::Ok();
      }
    }
    return NotFound("Album '" + key + "' not found");
  });
}

}  // namespace photomap::config
