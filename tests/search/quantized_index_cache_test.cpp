// QuantizedIndexCache: one copy per snapshot, shared by later lookups; a different snapshot at
// the same address (the old one destroyed) gets a fresh copy; least recently used eviction.
#include "search/quantized_index_cache.h"

#include <cmath>
#include <optional>
#include <random>
#include <string>
#include <vector>

#include <gtest/gtest.h>

namespace photomap::search {
namespace {

index::IndexSnapshot MakeSnapshot(size_t n, int dim, uint32_t seed, int64_t generation) {
  std::mt19937 rng(seed);
  std::normal_distribution<float> normal;
  std::vector<index::ImageRecord> rows(n);
  for (size_t i = 0; i < n; ++i) {
    rows[i].path = "/album/" + std::to_string(i) + ".jpg";
    rows[i].encoder_spec = "openai-clip:ViT-B-32";
    rows[i].embedding.resize(dim);
    for (float& v : rows[i].embedding) v = normal(rng);
  }
  auto snap = index::IndexSnapshot::Build(std::move(rows), generation);
  EXPECT_TRUE(snap.ok());
  return std::move(snap).value();
}

TEST(QuantizedIndexCacheTest, BuildsOnceAndSharesTheCopy) {
  QuantizedIndexCache cache;
  const index::IndexSnapshot snap = MakeSnapshot(40, 8, 1, 3);
  auto first = cache.Get(snap);
  auto second = cache.Get(snap);
  EXPECT_EQ(first.get(), second.get());
  EXPECT_EQ(first->rows, 40u);
  EXPECT_EQ(first->dim, 8);
  cache.Forget(snap);
  EXPECT_EQ(cache.size(), 0u);
  EXPECT_NE(cache.Get(snap).get(), first.get());
}

TEST(QuantizedIndexCacheTest, ASnapshotReplacedAtTheSameAddressGetsAFreshCopy) {
  QuantizedIndexCache cache;
  std::optional<index::IndexSnapshot> slot;
  slot.emplace(MakeSnapshot(40, 8, 1, 3));
  const auto* address = &*slot;
  auto old_copy = cache.Get(*slot);
  // Same address, generation, size, dim and encoder; different embeddings.
  slot.reset();
  slot.emplace(MakeSnapshot(40, 8, 2, 3));
  ASSERT_EQ(&*slot, address);
  auto new_copy = cache.Get(*slot);
  EXPECT_NE(new_copy.get(), old_copy.get());
  const QuantizedMatrix expected = QuantizeRows(slot->embeddings(), 40, 8);
  EXPECT_EQ(new_copy->scales, expected.scales);
  EXPECT_EQ(cache.size(), 1u);
}

TEST(QuantizedIndexCacheTest, EvictsTheLeastRecentlyUsed) {
  QuantizedIndexCache cache(2);
  const index::IndexSnapshot a = MakeSnapshot(20, 4, 1, 1);
  const index::IndexSnapshot b = MakeSnapshot(20, 4, 2, 1);
  const index::IndexSnapshot c = MakeSnapshot(20, 4, 3, 1);
  auto copy_a = cache.Get(a);
  cache.Get(b);
  EXPECT_EQ(cache.Get(a).get(), copy_a.get());  // a is now the most recent
  cache.Get(c);                                 // evicts b
  EXPECT_EQ(cache.size(), 2u);
  EXPECT_EQ(cache.Get(a).get(), copy_a.get());
  EXPECT_EQ(copy_a->rows, 20u) << "a held copy stays valid whatever the cache does";
}

}  // namespace
}  // namespace photomap::search
