#include "search/text_image_search.h"

#include "model/text_query.h"
#include "search/quantized_index_cache.h"
#include "search/quantized_top_k.h"
#include "search/search_scoring.h"

namespace photomap::search {

Result<std::vector<float>> EncodeQueryText(const index::LoadedEncoder& encoder,
                                           const std::string& text, bool use_ensembling) {
  if (!encoder.reads_text()) return model::TextNotSupportedError(encoder.spec);
  auto prompts = model::QueryPrompts(encoder.family, text, use_ensembling);
  auto tokens = encoder.tokenizer->EncodeBatch(prompts);
  if (!tokens.ok()) return tokens.error();
  auto embedded = encoder.encoder->EncodeTexts(tokens->ids, tokens->batch, tokens->length,
                                               tokens->attention_mask);
  if (!embedded.ok()) return embedded.error();
  std::vector<float> out(static_cast<size_t>(embedded->dim));
  model::EnsembleEmbeddings(embedded->data.data(), embedded->rows, embedded->dim, out.data());
  return out;
}

namespace {

// Below this many rows the fp32 scan is cheap and a quantized copy is not worth its memory.
constexpr size_t kQuantizedSearchMinRows = 4096;

Result<std::vector<float>> EncodeQueryImage(const index::LoadedEncoder& encoder,
                                            const RgbImage& image) {
  auto pixels = model::Preprocess(image, encoder.preprocess);
  if (!pixels.ok()) return pixels.error();
  auto embedded = encoder.encoder->EncodeImages(*pixels, 1);
  if (!embedded.ok()) return embedded.error();
  return std::move(embedded->data);
}

}  // namespace

Result<std::vector<SearchHit>> SearchIndex(const index::IndexSnapshot& snapshot,
                                           const index::LoadedEncoder& encoder,
                                           const SearchRequest& request) {
  if (snapshot.size() == 0) return std::vector<SearchHit>{};
  if (snapshot.encoder_spec() != encoder.spec) {
    return Busy("Embedding cache was built with encoder '" + snapshot.encoder_spec() +
                "' but the active encoder is '" + encoder.spec +
                "'. Re-index the album to rebuild it.");
  }
  if (snapshot.dim() != encoder.encoder->embedding_dim()) {
    return Corrupt("index embeddings have " + std::to_string(snapshot.dim()) +
                   " dimensions but encoder '" + encoder.spec + "' produces " +
                   std::to_string(encoder.encoder->embedding_dim()) + "; re-index the album");
  }
  const bool wants_text = (!request.positive_query.empty() && request.positive_weight > 0) ||
                          (!request.negative_query.empty() && request.negative_weight > 0);
  if (wants_text && !encoder.reads_text()) return model::TextNotSupportedError(encoder.spec);
  QueryTerms terms;
  terms.image_weight = request.image_weight;
  terms.positive_weight = request.positive_weight;
  terms.negative_weight = request.negative_weight;
  const bool ensemble = request.use_query_optimization;
  if (request.image && request.image_weight > 0) {
    auto q = EncodeQueryImage(encoder, *request.image);
    if (!q.ok()) return q.error();
    terms.image = std::move(q).value();
  }
  if (!request.positive_query.empty() && request.positive_weight > 0) {
    auto q = EncodeQueryText(encoder, request.positive_query, ensemble);
    if (!q.ok()) return q.error();
    terms.positive = std::move(q).value();
  }
  if (!request.negative_query.empty() && request.negative_weight > 0) {
    auto q = EncodeQueryText(encoder, request.negative_query, ensemble);
    if (!q.ok()) return q.error();
    terms.negative = std::move(q).value();
  }
  std::optional<Calibration> calibration;
  if (encoder.family == model::EncoderFamily::kSiglip && encoder.encoder->logit_bias()) {
    calibration = Calibration{encoder.encoder->logit_scale(), *encoder.encoder->logit_bias()};
  }
  const size_t k =
      static_cast<size_t>(request.max_results > 0 ? request.max_results : kDefaultMaxResults);
  auto position = [&](size_t row) { return snapshot.PositionOfRow(row); };
  std::vector<ScoredRow> top;
  if (!calibration && snapshot.size() >= kQuantizedSearchMinRows) {
    // CLIP: the int8 first pass with exact fp32 re-scoring (quantized_top_k.h), same results.
    const std::optional<std::vector<float>> q = FoldClipQuery(terms, snapshot.dim());
    if (!q) return std::vector<SearchHit>{};
    QuantizedIndexCache& cache = QuantizedIndexCache::Shared();
    const std::shared_ptr<const QuantizedMatrix> quantized = cache.Get(snapshot);
    QuantizedTopKResult result = QuantizedTopK(snapshot.embeddings(), *quantized, *q, k,
                                               request.min_score, position, kSearchThreads);
    if (result.copy_mismatch) cache.Forget(snapshot);
    top = std::move(result.top);
  } else {
    const std::vector<float> scores =
        ScoreRows(snapshot.embeddings(), snapshot.size(), snapshot.dim(), terms, calibration);
    if (scores.empty()) return std::vector<SearchHit>{};
    std::vector<size_t> positions(snapshot.size());
    for (size_t r = 0; r < positions.size(); ++r) positions[r] = position(r);
    top = TopK(scores, k, request.min_score, positions);
  }
  std::vector<SearchHit> hits;
  hits.reserve(top.size());
  for (const ScoredRow& s : top) hits.push_back({snapshot.PositionOfRow(s.row), s.score});
  return hits;
}

}  // namespace photomap::search
