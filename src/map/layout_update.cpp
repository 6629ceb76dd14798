#include "map/layout_update.h"

#include <unordered_map>

namespace photomap::map {

namespace {

std::vector<float> GatherRows(const MatrixView& x, const std::vector<size_t>& rows) {
  std::vector<float> out(rows.size() * x.cols);
  for (size_t i = 0; i < rows.size(); ++i) {
    std::copy(x.row(rows[i]), x.row(rows[i]) + x.cols, out.begin() + i * x.cols);
  }
  return out;
}

Result<LayoutUpdate> Refit(const MatrixView& embeddings, StoredLayout base, size_t removed,
                           const UmapParams& params, const ProgressFn& progress) {
  auto xy = FitUmap(embeddings, params, progress);
  if (!xy.ok()) return xy.error();
  LayoutUpdate update;
  update.kind = MapUpdate::kRefit;
  update.added = embeddings.rows;
  update.removed = removed;
  base.xy = std::move(xy).value();
  base.fit_rows = embeddings.rows;
  base.drift_rows = 0;
  update.layout = std::move(base);
  return update;
}

}  // namespace

Result<LayoutUpdate> UpdateLayout(const MatrixView& embeddings, const std::vector<int64_t>& row_ids,
                                  const std::string& encoder_spec,
                                  const std::optional<StoredLayout>& previous,
                                  const UmapParams& params, const MapUpdatePolicy& policy,
                                  bool force_refit, const ProgressFn& progress) {
  if (row_ids.size() != embeddings.rows) {
    return InvalidInput("map layout: " + std::to_string(row_ids.size()) + " row ids for " +
                        std::to_string(embeddings.rows) + " embeddings");
  }
  const size_t n = embeddings.rows;
  StoredLayout next;
  next.encoder_spec = encoder_spec;
  next.seed = params.seed;
  next.row_ids = row_ids;
  next.checksums.resize(n);
  for (size_t i = 0; i < n; ++i) {
    next.checksums[i] = EmbeddingChecksum(embeddings.row(i), embeddings.cols);
  }
  const bool comparable = previous.has_value() && previous->encoder_spec == encoder_spec &&
                          previous->seed == params.seed && !force_refit;
  if (!comparable) {
    return Refit(embeddings, std::move(next), previous ? previous->size() : 0, params, progress);
  }

  std::unordered_map<int64_t, size_t> previous_row;
  previous_row.reserve(previous->size());
  for (size_t i = 0; i < previous->size(); ++i) previous_row.emplace(previous->row_ids[i], i);
  std::vector<size_t> kept_rows, kept_previous, added_rows;
  for (size_t i = 0; i < n; ++i) {
    auto it = previous_row.find(row_ids[i]);
    if (it != previous_row.end() && previous->checksums[it->second] == next.checksums[i]) {
      kept_rows.push_back(i);
      kept_previous.push_back(it->second);
    } else {
      added_rows.push_back(i);
    }
  }
  const size_t removed = previous->size() - kept_rows.size();
  const MapUpdate kind = DecideMapUpdate(previous->fit_rows, previous->drift_rows, kept_rows.size(),
                                         added_rows.size(), removed, policy);
  if (kind == MapUpdate::kRefit) {
    return Refit(embeddings, std::move(next), removed, params, progress);
  }

  next.fit_rows = previous->fit_rows;
  next.drift_rows = previous->drift_rows + added_rows.size() + removed;
  next.xy.assign(n * 2, 0.0f);
  std::vector<float> kept_xy(kept_rows.size() * 2);
  for (size_t k = 0; k < kept_rows.size(); ++k) {
    for (int c = 0; c < 2; ++c) {
      kept_xy[k * 2 + c] = previous->xy[kept_previous[k] * 2 + c];
      next.xy[kept_rows[k] * 2 + c] = kept_xy[k * 2 + c];
    }
  }
  if (!added_rows.empty()) {
    const std::vector<float> existing = GatherRows(embeddings, kept_rows);
    const std::vector<float> added = GatherRows(embeddings, added_rows);
    auto placed =
        TransformUmap(ViewOf(existing, kept_rows.size(), embeddings.cols), kept_xy,
                      ViewOf(added, added_rows.size(), embeddings.cols), params, progress);
    if (!placed.ok()) return placed.error();
    for (size_t a = 0; a < added_rows.size(); ++a) {
      next.xy[added_rows[a] * 2] = (*placed)[a * 2];
      next.xy[added_rows[a] * 2 + 1] = (*placed)[a * 2 + 1];
    }
  }
  LayoutUpdate update;
  update.kind = kind;
  update.added = added_rows.size();
  update.removed = removed;
  update.layout = std::move(next);
  return update;
}

}  // namespace photomap::map
