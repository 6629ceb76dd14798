#include "index/index_snapshot.h"

#include <algorithm>
#include <numeric>

namespace photomap::index {

Result<IndexSnapshot> IndexSnapshot::Build(std::vector<ImageRecord> rows, int64_t generation) {
  IndexSnapshot snap;
  snap.generation_ = generation;
  if (!rows.empty()) {
    snap.dim_ = static_cast<int>(rows[0].embedding.size());
    snap.encoder_spec_ = rows[0].encoder_spec;
  }
  snap.embeddings_.reserve(rows.size() * static_cast<size_t>(snap.dim_));
  for (auto& r : rows) {
    if (static_cast<int>(r.embedding.size()) != snap.dim_) {
      return Corrupt("index row " + r.path + " has a " + std::to_string(r.embedding.size()) +
                     "-value embedding, others have " + std::to_string(snap.dim_) +
                     "; re-index the album");
    }
    if (r.encoder_spec != snap.encoder_spec_) {
      return Corrupt("index mixes encoders '" + snap.encoder_spec_ + "' and '" + r.encoder_spec +
                     "'; re-index the album");
    }
    snap.embeddings_.insert(snap.embeddings_.end(), r.embedding.begin(), r.embedding.end());
    r.embedding.clear();
    r.embedding.shrink_to_fit();
  }
  snap.rows_ = std::move(rows);
  const size_t n = snap.rows_.size();
  snap.order_.resize(n);
  std::iota(snap.order_.begin(), snap.order_.end(), size_t{0});
  // numpy.lexsort((filenames, times)): time first, then path; UTF-8 byte order equals code
  // point order. Stable, so equal keys keep row order.
  std::stable_sort(snap.order_.begin(), snap.order_.end(), [&](size_t a, size_t b) {
    const ImageRecord& x = snap.rows_[a];
    const ImageRecord& y = snap.rows_[b];
    if (x.sort_time != y.sort_time) return x.sort_time < y.sort_time;
    return x.path < y.path;
  });
  snap.position_of_row_.resize(n);
  for (size_t pos = 0; pos < n; ++pos) snap.position_of_row_[snap.order_[pos]] = pos;
  for (size_t pos = 0; pos < n; ++pos)
    snap.position_of_path_[snap.rows_[snap.order_[pos]].path] = pos;
  return snap;
}

std::optional<size_t> IndexSnapshot::PositionOfPath(const std::string& path) const {
  auto it = position_of_path_.find(path);
  if (it == position_of_path_.end()) return std::nullopt;
  return it->second;
}

}  // namespace photomap::index
