// TextImageSearch: PhotoMapAI's search_with_text_and_image (backend-spec §5) over a published
// index snapshot: encodes the query texts (SigLIP prompt ensembling when asked) and the query
// image with the album's encoder, scores every row (search_scoring.h) and returns API positions.
// Thread-safe: the snapshot and encoder are shared read-only.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "index/encoder_provider.h"
#include "index/index_snapshot.h"
#include "util/image.h"
#include "util/status.h"

namespace photomap::search {

inline constexpr int64_t kDefaultMaxResults = 100;

struct SearchRequest {
  std::string positive_query;
  std::string negative_query;
  std::optional<RgbImage> image;  // decoded, upright query image
  double image_weight = 0.5;
  double positive_weight = 0.5;
  double negative_weight = 0.5;
  double min_score = 0.2;  // already resolved: request value, else album value
  // Results wanted. PhotoMapAI returns every row for 0 (§12.13); photomap treats values <= 0 as
  // the default 100 so a request can never ask for an unbounded answer (docs/api.md).
  int64_t max_results = kDefaultMaxResults;
  bool use_query_optimization = false;  // SigLIP prompt ensembling; ignored by CLIP families
};

struct SearchHit {
  size_t position = 0;  // the API index (sorted order)
  double score = 0;
};

// Runs the search. Errors: Busy (HTTP 409) when the snapshot was built with another encoder
// than `encoder` ("… Re-index the album to rebuild it."); InvalidInput (HTTP 400,
// model::TextNotSupportedError) for a text query when the encoder reads no text (classic:v1);
// the encoder's and tokenizer's errors.
// An empty index or no query input gives no hits.
Result<std::vector<SearchHit>> SearchIndex(const index::IndexSnapshot& snapshot,
                                           const index::LoadedEncoder& encoder,
                                           const SearchRequest& request);

// Encodes one query text (ensembled for SigLIP when asked) to a unit vector. InvalidInput
// (model::TextNotSupportedError) when the encoder reads no text.
Result<std::vector<float>> EncodeQueryText(const index::LoadedEncoder& encoder,
                                           const std::string& text, bool use_ensembling);

}  // namespace photomap::search
