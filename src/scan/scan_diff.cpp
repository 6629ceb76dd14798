#include "scan/scan_diff.h"

#include <utf8proc.h>

#include <cstdlib>
#include <string_view>
#include <unordered_map>

namespace photomap::scan {

std::string CaseFoldPath(std::string_view utf8) {
  utf8proc_uint8_t* out = nullptr;
  utf8proc_ssize_t n =
      utf8proc_map(reinterpret_cast<const utf8proc_uint8_t*>(utf8.data()),
                   static_cast<utf8proc_ssize_t>(utf8.size()), &out, UTF8PROC_CASEFOLD);
  if (n < 0) return std::string(utf8);
  std::string folded(reinterpret_cast<char*>(out), static_cast<size_t>(n));
  std::free(out);
  return folded;
}

ScanDiff DiffScan(std::span<const ScanEntry> scanned, std::span<const KnownFile> known,
                  const DiffOptions& options) {
  // Keys are owned here when folded, else views of the inputs.
  std::vector<std::string> folded_known, folded_scanned;
  auto key_of = [&](std::vector<std::string>& store, const std::string& path, size_t i) {
    return options.casefold_paths ? std::string_view(store[i]) : std::string_view(path);
  };
  if (options.casefold_paths) {
    for (const KnownFile& k : known) folded_known.push_back(CaseFoldPath(k.path));
    for (const ScanEntry& s : scanned) folded_scanned.push_back(CaseFoldPath(s.path));
  }

  std::unordered_map<std::string_view, size_t> known_index;
  known_index.reserve(known.size());
  ScanDiff diff;
  std::vector<bool> seen(known.size(), false);
  for (size_t i = 0; i < known.size(); ++i) {
    known_index.emplace(key_of(folded_known, known[i].path, i), i);
  }
  for (size_t i = 0; i < scanned.size(); ++i) {
    auto it = known_index.find(key_of(folded_scanned, scanned[i].path, i));
    if (it == known_index.end()) {
      diff.added.push_back(i);
      continue;
    }
    const KnownFile& k = known[it->second];
    seen[it->second] = true;
    if (k.size_bytes != scanned[i].size_bytes || k.mtime != scanned[i].mtime) {
      diff.changed.emplace_back(i, it->second);
    } else {
      ++diff.unchanged;
    }
  }
  for (size_t i = 0; i < known.size(); ++i) {
    if (!seen[i]) diff.missing.push_back(i);
  }
  return diff;
}

}  // namespace photomap::scan
