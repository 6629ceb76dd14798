// ScanDiff: compares a fresh walk against the rows an index already holds.
//
// A scanned file is "added" when no known row has its path, "changed" when one does but the size
// or the mtime differs, and a known row is "missing" when no scanned file has its path. Paths are
// compared byte for byte, or after Unicode case folding (PhotoMapAI's `casefold()` key) when
// asked. Pure functions, thread-safe.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "scan/album_walker.h"

namespace photomap::scan {

struct KnownFile {
  std::string path;
  uint64_t size_bytes = 0;
  double mtime = 0;  // compared exactly: both sides come from the same stat arithmetic
};

struct ScanDiff {
  std::vector<size_t> added;                       // indices into `scanned`
  std::vector<std::pair<size_t, size_t>> changed;  // (index into scanned, index into known)
  std::vector<size_t> missing;                     // indices into `known`
  size_t unchanged = 0;
};

struct DiffOptions {
  // Compare CaseFoldPath(path) instead of the bytes, as PhotoMapAI does. Off by default: on
  // Linux "A.jpg" and "a.jpg" are two files.
  bool casefold_paths = false;
};

// Diffs `scanned` against `known`. Each output list is in the order of its input. When several
// known rows share a key, the first is matched and the others are reported missing (so an index
// holding duplicates sheds them); several scanned entries with one key all match that row.
ScanDiff DiffScan(std::span<const ScanEntry> scanned, std::span<const KnownFile> known,
                  const DiffOptions& options = {});

// Unicode full case folding of a UTF-8 string (utf8proc, NFC-stable), as Python's str.casefold.
// Invalid UTF-8 is returned unchanged.
std::string CaseFoldPath(std::string_view utf8);

}  // namespace photomap::scan
