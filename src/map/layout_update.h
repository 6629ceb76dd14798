// UpdateLayout: brings a stored map layout up to date with the rows an index holds now — keep it,
// place only the new rows against it (stable growth), or refit from scratch — following
// DecideMapUpdate's policy (docs/map.md "Stable growth").
//
// Rows are matched by row id and embedding checksum, so a re-encoded (edited) file counts as
// removed and added. Pure function; deterministic for equal inputs; thread-safe.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "map/layout_file.h"
#include "map/matrix_view.h"
#include "map/umap.h"
#include "util/status.h"

namespace photomap::map {

struct LayoutUpdate {
  StoredLayout layout;  // rows in the order of the input rows
  MapUpdate kind = MapUpdate::kKeep;
  size_t added = 0;
  size_t removed = 0;
};

// `embeddings` row i belongs to index row `row_ids[i]`; `previous` is the stored layout, if any.
// A missing previous layout, another encoder or seed, or `force_refit` give a full fit.
// Errors: InvalidInput when row_ids.size() != embeddings.rows; FitUmap/TransformUmap's errors
// (Cancelled when `progress` returns false).
Result<LayoutUpdate> UpdateLayout(const MatrixView& embeddings, const std::vector<int64_t>& row_ids,
                                  const std::string& encoder_spec,
                                  const std::optional<StoredLayout>& previous,
                                  const UmapParams& params, const MapUpdatePolicy& policy,
                                  bool force_refit, const ProgressFn& progress = {});

}  // namespace photomap::map
