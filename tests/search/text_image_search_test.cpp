// SearchIndex end to end with the tiny CLIP fixture (local:…/fixtures/clip/e2e_clip): over an
// index large enough for the int8-first path, text and image+text searches return the same
// positions and float scores as the fp32 reference (ScoreRows + TopK over API positions).
#include "search/text_image_search.h"

#include <bit>
#include <cmath>
#include <filesystem>
#include <random>

#include <gtest/gtest.h>

#include "search/quantized_index_cache.h"
#include "search/search_scoring.h"

namespace photomap::search {
namespace {

const std::string kSpec = std::string("local:") + PHOTOMAP_SHARED_DIR + "/fixtures/clip/e2e_clip";

index::IndexSnapshot MakeSnapshot(size_t n, int dim) {
  std::mt19937 rng(3);
  std::normal_distribution<float> normal;
  std::uniform_real_distribution<double> time(0, 1e9);
  std::vector<index::ImageRecord> rows(n);
  for (size_t i = 0; i < n; ++i) {
    rows[i].path = "/album/" + std::to_string(i) + ".jpg";
    rows[i].sort_time = time(rng);  // positions differ from rows
    rows[i].encoder_spec = kSpec;
    rows[i].embedding.resize(dim);
    double norm = 0;
    for (float& v : rows[i].embedding) norm += std::pow(v = normal(rng), 2);
    for (float& v : rows[i].embedding) v /= static_cast<float>(std::sqrt(norm));
  }
  auto snap = index::IndexSnapshot::Build(std::move(rows), 1);
  EXPECT_TRUE(snap.ok());
  return std::move(snap).value();
}

TEST(TextImageSearchTest, Int8FirstPathReturnsTheFp32Results) {
  index::EncoderProvider encoders(std::filesystem::temp_directory_path());
  auto encoder = encoders.Get(kSpec);
  ASSERT_TRUE(encoder.ok()) << encoder.error().message;
  const int dim = (*encoder)->encoder->embedding_dim();
  const size_t n = 6000;  // above the int8 path's 4096-row threshold
  const index::IndexSnapshot snap = MakeSnapshot(n, dim);
  std::vector<size_t> positions(n);
  for (size_t r = 0; r < n; ++r) positions[r] = snap.PositionOfRow(r);

  auto pos = EncodeQueryText(**encoder, "a photo of a dog", false);
  auto neg = EncodeQueryText(**encoder, "a cat", false);
  ASSERT_TRUE(pos.ok() && neg.ok());
  for (double min_score : {-1.0, 0.05}) {
    SearchRequest request;
    request.positive_query = "a photo of a dog";
    request.negative_query = "a cat";
    request.negative_weight = 0.3;
    request.min_score = min_score;
    request.max_results = 50;
    auto hits = SearchIndex(snap, **encoder, request);
    ASSERT_TRUE(hits.ok()) << hits.error().message;
    EXPECT_GE(QuantizedIndexCache::Shared().size(), 1u) << "the int8 path was not used";

    QueryTerms terms;
    terms.positive = *pos;
    terms.negative = *neg;
    terms.negative_weight = 0.3;
    const auto want =
        TopK(ScoreRows(snap.embeddings(), n, dim, terms, std::nullopt), 50, min_score, positions);
    ASSERT_EQ(hits->size(), want.size()) << "min_score " << min_score;
    for (size_t i = 0; i < want.size(); ++i) {
      EXPECT_EQ((*hits)[i].position, positions[want[i].row]) << "rank " << i;
      EXPECT_EQ(std::bit_cast<uint32_t>(static_cast<float>((*hits)[i].score)),
                std::bit_cast<uint32_t>(want[i].score))
          << "rank " << i;
    }
  }
  QuantizedIndexCache::Shared().Forget(snap);
}

}  // namespace
}  // namespace photomap::search
