#include "http/album_index_access.h"

#include <filesystem>

#include "http/responses.h"
#include "index/album_indexes.h"

namespace photomap::http {

std::shared_ptr<const index::IndexSnapshot> RequireSnapshot(Services& s, const config::Album& album,
                                                            httplib::Response& res) {
  auto snapshot = s.indexes->Get(album.index);
  if (!snapshot.ok()) {
    SendError(res, snapshot.error());
    return nullptr;
  }
  return *snapshot;
}

std::optional<size_t> RequirePosition(const std::string& text, const index::IndexSnapshot& snapshot,
                                      httplib::Response& res, const std::string& not_found_detail) {
  long long value = 0;
  size_t used = 0;
  try {
    value = std::stoll(text, &used);
  } catch (...) {
    used = 0;
  }
  if (used == 0 || used != text.size()) {
    SendValidationErrors(
        res, {config::FieldIssue{"int_parsing", nlohmann::ordered_json::array({"path", "index"}),
                                 "Input should be a valid integer, unable to parse string as an "
                                 "integer",
                                 text, nullptr}});
    return std::nullopt;
  }
  if (value < 0 || static_cast<size_t>(value) >= snapshot.size()) {
    SendDetail(res, 404, not_found_detail);
    return std::nullopt;
  }
  return static_cast<size_t>(value);
}

std::string RelativeToAlbum(const config::Album& album, const std::string& full) {
  namespace fs = std::filesystem;
  const fs::path file(full);
  for (const auto& root : album.image_paths) {
    std::error_code ec;
    fs::path resolved = fs::weakly_canonical(root, ec);
    if (ec) continue;
    fs::path rel = file.lexically_relative(resolved);
    if (!rel.empty() && *rel.begin() != "..") return rel.generic_string();
  }
  return file.filename().string();
}

}  // namespace photomap::http
