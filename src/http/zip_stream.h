// ZipStreamWriter: writes a ZIP archive to a sink entry by entry, holding one file chunk and one
// compression buffer at a time, so a multi-gigabyte download never sits in memory (PhotoMapAI
// builds the whole archive in memory). Each entry is a local header with a data descriptor
// (general-purpose bit 3), the file's bytes — stored, or raw DEFLATE via zlib — with CRC-32
// computed on the way, then the descriptor; Finish() writes the central directory.
//
// No ZIP64: an archive and its offsets must stay below 4 GiB (the route caps the selection at
// 2 GB). Names are UTF-8 (bit 11). Not thread-safe; one writer per archive.
#pragma once

#include <cstdint>
#include <ctime>
#include <functional>
#include <string>
#include <vector>

#include "util/status.h"

namespace photomap::http {

class ZipStreamWriter {
 public:
  // Receives the archive's bytes in order; returns false when the client went away.
  using Sink = std::function<bool(const char* data, size_t size)>;

  explicit ZipStreamWriter(Sink sink) : sink_(std::move(sink)) {}

  // Appends the file at `path` as `archive_name`, DEFLATE-compressed when `deflate`, with
  // `mtime` as its DOS timestamp (local time). Errors: Io when the file cannot be opened (nothing
  // was written; the archive stays valid) or read mid-file (the archive is then unusable),
  // Cancelled when the sink refuses bytes, TooLarge past 4 GiB.
  Status AddFile(const std::string& archive_name, const std::string& path, bool deflate,
                 std::time_t mtime);

  // Writes the central directory. Errors: Cancelled, TooLarge.
  Status Finish();

  uint64_t bytes_written() const { return offset_; }

 private:
  struct Entry {
    std::string name;
    uint16_t method = 0;
    uint16_t dos_time = 0, dos_date = 0;
    uint32_t crc = 0;
    uint64_t compressed = 0, size = 0, offset = 0;
  };
  Status Write(const std::string& bytes);
  Status Write(const char* data, size_t size);

  Sink sink_;
  uint64_t offset_ = 0;
  std::vector<Entry> entries_;
};

}  // namespace photomap::http
