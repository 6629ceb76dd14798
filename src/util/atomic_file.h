// Atomic file replacement: a reader sees either the old file or the complete new one, never a
// partial write, and a failed write leaves the old file untouched.
#pragma once

#include <string>
#include <string_view>

#include "util/status.h"

namespace photomap {

struct AtomicWriteOptions {
  // Mode for a new file; an existing file keeps its mode. 0600 suits files holding secrets.
  unsigned new_file_mode = 0600;
  // fsync the file and its directory before returning (durable across power loss).
  bool durable = true;
};

// Writes `contents` to `path` via "<name>.tmp" in the same directory + rename. A symlink at
// `path` is followed so the real file is replaced. Errors: Io naming the path and the cause
// (the temp file is removed).
Status AtomicWriteFile(const std::string& path, std::string_view contents,
                       const AtomicWriteOptions& options = {});

// Reads a whole file. Errors: NotFound when absent, Io otherwise.
Result<std::string> ReadFileToString(const std::string& path);

}  // namespace photomap
