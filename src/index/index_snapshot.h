// IndexSnapshot: an immutable, in-memory view of one published index: rows, one contiguous
// embedding matrix and PhotoMapAI's positional order (sort time ascending, then path by code
// point; backend-spec §3.3). Shared between request threads as shared_ptr<const IndexSnapshot>.
//
// Positions are an API concept only: they are derived here and never stored.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "index/index_record.h"
#include "util/status.h"

namespace photomap::index {

class IndexSnapshot {
 public:
  // Builds the snapshot. Errors: Corrupt when rows disagree on the embedding size or encoder.
  static Result<IndexSnapshot> Build(std::vector<ImageRecord> rows, int64_t generation);

  size_t size() const { return rows_.size(); }
  int dim() const { return dim_; }
  int64_t generation() const { return generation_; }
  const std::string& encoder_spec() const { return encoder_spec_; }

  // Row at API position `position` (0-based, sorted order). Requires position < size().
  const ImageRecord& AtPosition(size_t position) const { return rows_[order_[position]]; }
  // Raw row (storage order) and its position.
  const ImageRecord& Row(size_t row) const { return rows_[row]; }
  size_t PositionOfRow(size_t row) const { return position_of_row_[row]; }
  size_t RowOfPosition(size_t position) const { return order_[position]; }
  // Position of an absolute path, if indexed.
  std::optional<size_t> PositionOfPath(const std::string& path) const;

  // Row-major N x dim matrix of L2-normalised embeddings in row order.
  const std::vector<float>& embeddings() const { return embeddings_; }

 private:
  std::vector<ImageRecord> rows_;  // embeddings moved out into embeddings_
  std::vector<float> embeddings_;
  std::vector<size_t> order_;            // position → row
  std::vector<size_t> position_of_row_;  // row → position
  std::unordered_map<std::string, size_t> position_of_path_;
  std::string encoder_spec_;
  int dim_ = 0;
  int64_t generation_ = 0;
};

}  // namespace photomap::index
