#include "search/quantized_index_cache.h"

#include <algorithm>
#include <cstring>

#include "search/search_scoring.h"

namespace photomap::search {
namespace {

constexpr size_t kSampledRows = 64;

// A multiply-xorshift hash of the values of kSampledRows evenly spaced rows (first and last
// included): about 20 µs for 512-value rows.
uint64_t SampleHash(const std::vector<float>& m, size_t n, int dim) {
  uint64_t h[4] = {0x9e3779b97f4a7c15ull, 0xbf58476d1ce4e5b9ull, 0x94d049bb133111ebull, 1};
  const size_t samples = std::min(n, kSampledRows);
  for (size_t s = 0; s < samples; ++s) {
    const size_t row = samples == 1 ? 0 : s * (n - 1) / (samples - 1);
    const float* values = m.data() + row * dim;
    for (int j = 0; j < dim; ++j) {  // four independent chains, for speed
      uint32_t bits = 0;
      std::memcpy(&bits, values + j, sizeof bits);
      uint64_t& lane = h[j % 4];
      lane = (lane ^ (bits + (static_cast<uint64_t>(row) << 32))) * 0xff51afd7ed558ccdull;
      lane ^= lane >> 29;
    }
  }
  return ((h[0] * 31 + h[1]) * 31 + h[2]) * 31 + h[3];
}

}  // namespace

QuantizedIndexCache& QuantizedIndexCache::Shared() {
  static QuantizedIndexCache cache;
  return cache;
}

QuantizedIndexCache::Fingerprint QuantizedIndexCache::FingerprintOf(const index::IndexSnapshot& s) {
  return {s.generation(),
          s.size(),
          s.dim(),
          s.encoder_spec(),
          s.embeddings().data(),
          SampleHash(s.embeddings(), s.size(), s.dim())};
}

std::shared_ptr<const QuantizedMatrix> QuantizedIndexCache::Get(
    const index::IndexSnapshot& snapshot) {
  Fingerprint fingerprint = FingerprintOf(snapshot);
  std::shared_ptr<Slot> slot;
  {
    std::lock_guard<std::mutex> lock(mu_);
    auto it = slots_.find(&snapshot);
    if (it == slots_.end() || !(it->second->fingerprint == fingerprint)) {
      slot = std::make_shared<Slot>();
      slot->fingerprint = std::move(fingerprint);
      slot->last_use = ++clock_;
      slots_[&snapshot] = slot;
      while (slots_.size() > capacity_ && capacity_ > 0) {
        auto oldest = slots_.begin();
        for (auto i = slots_.begin(); i != slots_.end(); ++i) {
          if (i->second->last_use < oldest->second->last_use) oldest = i;
        }
        if (oldest->second == slot) break;
        slots_.erase(oldest);
      }
    } else {
      slot = it->second;
      slot->last_use = ++clock_;
    }
  }
  std::call_once(slot->built, [&] {
    slot->matrix = std::make_shared<const QuantizedMatrix>(
        QuantizeRows(snapshot.embeddings(), snapshot.size(), snapshot.dim(), kSearchThreads));
  });
  return slot->matrix;
}

void QuantizedIndexCache::Forget(const index::IndexSnapshot& snapshot) {
  std::lock_guard<std::mutex> lock(mu_);
  slots_.erase(&snapshot);
}

size_t QuantizedIndexCache::size() const {
  std::lock_guard<std::mutex> lock(mu_);
  return slots_.size();
}

}  // namespace photomap::search
