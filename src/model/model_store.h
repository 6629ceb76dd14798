// ModelStore: the on-disk cache of downloaded encoder models (`photomap models list|pull|remove`).
//
// Each spec gets one directory under the root (~/.cache/photomap/models by default) laid out
// like a Hugging Face download, plus photomap_model.json recording the spec and its files; that
// manifest is written last, so a directory without it is an unfinished pull. Pulls download
// with DownloadFile (resumable, verified, atomic per file). The root is given by the caller; the
// store never reads the environment. Methods may be called from several threads, but two pulls
// of the same spec at once are not coordinated (the app runs one indexing job at a time).
#pragma once

#include <atomic>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <string>
#include <vector>

#include "model/encoder_spec.h"
#include "util/status.h"

namespace photomap::model {

// The default store root: $XDG_CACHE_HOME/photomap/models when xdg_cache_home is set and
// absolute, else $HOME/.cache/photomap/models, else ./.cache/photomap/models. The caller (app/)
// passes getenv("XDG_CACHE_HOME") and getenv("HOME"); either may be null.
std::filesystem::path DefaultModelCacheDir(const char* xdg_cache_home, const char* home);

struct PullProgress {
  std::string file;    // e.g. "model.safetensors"
  int file_index = 0;  // 0-based, of file_count
  int file_count = 0;
  uint64_t bytes_done = 0;   // of this file
  uint64_t bytes_total = 0;  // of this file, 0 while unknown
};

struct PullOptions {
  std::string base_url =
      "https://huggingface.co";  // files come from <base>/<repo>/resolve/main/<file>
  std::function<void(const PullProgress&)> progress;  // optional
  const std::atomic<bool>* cancel = nullptr;          // optional
  std::string bearer_token;                           // optional, for gated repositories
  bool offline = false;  // never touch the network: succeed only if already installed
};

struct InstalledModel {
  std::string spec;
  std::filesystem::path dir;
  uint64_t size_bytes = 0;
  bool complete = false;  // false: an interrupted pull (run pull again to resume)
};

class ModelStore {
 public:
  explicit ModelStore(std::filesystem::path root);

  const std::filesystem::path& root() const { return root_; }

  // Where `spec`'s files live (whether or not they are there yet).
  std::filesystem::path ModelDir(const EncoderSpec& spec) const;

  // True when the manifest is present and every required file exists.
  bool IsInstalled(const EncoderSpec& spec) const;

  // Every model directory under the root, sorted by spec. An absent root is an empty list.
  // Returns Io if the root cannot be read.
  Result<std::vector<InstalledModel>> List() const;

  // Downloads whatever `spec` still lacks and returns its directory. Files already present are
  // kept; interrupted files resume. Errors are DownloadFile's (NotFound, PermissionDenied, Io,
  // Corrupt, Cancelled), with the manual-install instructions appended when the hub cannot be
  // reached; InvalidInput for classic:v1 (nothing to download); in offline mode a missing model
  // is NotFound with the same instructions.
  Result<std::filesystem::path> Pull(const EncoderSpec& spec, const PullOptions& options) const;

  // Deletes `spec`'s directory. NotFound when it is not there; Io when deletion fails.
  Status Remove(const EncoderSpec& spec) const;

  // "Download these files into DIR: URL ..." for users without network access.
  std::string ManualInstallInstructions(const EncoderSpec& spec, const std::string& base_url) const;

 private:
  std::filesystem::path root_;
};

}  // namespace photomap::model
