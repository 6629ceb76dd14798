// QuantizedIndexCache: the int8 copy (quantized_matrix.h) of each index snapshot being searched,
// built on first use and then shared by every search of that snapshot.
//
// SearchIndex only sees `const IndexSnapshot&`, so entries are keyed by the snapshot's address
// and checked on every lookup against a fingerprint (generation, size, dim, encoder, matrix
// address, and a hash of 64 rows spread over the matrix); a snapshot freed and replaced at the
// same address is rebuilt unless all of these match. QuantizedTopK re-checks every re-scored row
// against its bound and reports a stale copy, which the caller then drops (Forget). The cache
// holds at most `capacity` copies (least recently used goes first). Thread-safe; a copy is
// built once even when several threads ask for it at the same time.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <string>

#include "index/index_snapshot.h"
#include "search/quantized_matrix.h"

namespace photomap::search {

class QuantizedIndexCache {
 public:
  // Performance knob: each copy is about a quarter of its snapshot's embedding matrix
  // (100k x 512: 53 MB).
  explicit QuantizedIndexCache(size_t capacity = 4) : capacity_(capacity) {}
  QuantizedIndexCache(const QuantizedIndexCache&) = delete;
  QuantizedIndexCache& operator=(const QuantizedIndexCache&) = delete;

  // The process's cache, used by SearchIndex.
  static QuantizedIndexCache& Shared();

  // The copy of `snapshot`'s embeddings, building it on first use (about 0.1 s per 100k x 512
  // rows). The returned copy stays valid while held, even after eviction.
  std::shared_ptr<const QuantizedMatrix> Get(const index::IndexSnapshot& snapshot);

  // Drops the entry for `snapshot`'s address, if any.
  void Forget(const index::IndexSnapshot& snapshot);

  size_t size() const;

 private:
  struct Fingerprint {
    int64_t generation = 0;
    size_t rows = 0;
    int dim = 0;
    std::string encoder_spec;
    const float* data = nullptr;
    uint64_t sample_hash = 0;
    bool operator==(const Fingerprint&) const = default;
  };
  struct Slot {
    Fingerprint fingerprint;
    std::once_flag built;
    std::shared_ptr<const QuantizedMatrix> matrix;
    uint64_t last_use = 0;
  };

  static Fingerprint FingerprintOf(const index::IndexSnapshot& snapshot);

  const size_t capacity_;
  mutable std::mutex mu_;  // guards slots_ and clock_
  std::map<const index::IndexSnapshot*, std::shared_ptr<Slot>> slots_;
  uint64_t clock_ = 0;
};

}  // namespace photomap::search
