// DownloadFile: one HTTP(S) file to disk with libcurl, resumable, verified, published atomically.
//
// Bytes go to "<destination>.part"; an existing .part is resumed with a Range request, a
// dropped connection is retried (resuming) a few times, and only a complete file whose size and
// sha256 match what the server announced is renamed onto the destination. The Hugging Face hub
// announces them in X-Linked-Size / X-Linked-Etag on its redirect (LFS files) or in ETag when that
// is a 64-hex sha256. Thread-safe: each call uses its own curl handle.
#pragma once

#include <atomic>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <string>

#include "util/status.h"

namespace photomap::model {

// Called with bytes of this file on disk so far and its total size (0 when not yet known).
using DownloadProgressFn = std::function<void(uint64_t bytes_done, uint64_t bytes_total)>;

struct DownloadRequest {
  std::string url;
  std::filesystem::path destination;
  std::string what;  // names the file in messages, e.g. "openai/clip-vit-base-patch32/vocab.json"
  DownloadProgressFn progress;                // optional
  const std::atomic<bool>* cancel = nullptr;  // optional; set it to stop (the .part is kept)
  std::string bearer_token;                   // optional "Authorization: Bearer" (gated repos)

  // Performance and robustness knobs.
  int max_attempts = 4;         // dropped connections are resumed this many times in total
  long connect_timeout_s = 20;  // per attempt
  long stall_timeout_s = 60;    // abort an attempt that moves < 1 byte/s for this long
};

struct DownloadResult {
  uint64_t size_bytes = 0;
  std::string sha256_hex;  // of the published file
  bool resumed = false;    // some bytes came from an earlier, interrupted transfer
};

// Downloads req.url to req.destination (creating no directories: the parent must exist).
// Errors, each naming req.what and the host:
//   NotFound          HTTP 404 (the repository or file does not exist)
//   PermissionDenied  HTTP 401/403 (a gated or private repository; a token is needed)
//   Io                the host cannot be reached, other HTTP errors, or retries exhausted
//                     (the .part is kept for a later resume)
//   Corrupt           size or sha256 differ from what the server announced (the .part is deleted)
//   Cancelled         *req.cancel became true (the .part is kept)
Result<DownloadResult> DownloadFile(const DownloadRequest& req);

// Lower-case hex sha256 of a file's contents. Io error if it cannot be read.
Result<std::string> Sha256File(const std::filesystem::path& path);

}  // namespace photomap::model
