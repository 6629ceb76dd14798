// ForEachChunk: a fork-join over contiguous index ranges with one std::thread per extra chunk
// (no pool: the search starts at most one thread per query, about 30 µs, against a scan of
// milliseconds). Results must not depend on the split; callers merge per-chunk outputs in chunk
// order. Thread-safe.
#pragma once

#include <cstddef>
#include <functional>

namespace photomap::search {

// Splits [0, count) into min(threads, count) contiguous chunks (at least one) and runs
// fn(chunk_index, begin, end) for each, chunk 0 on the calling thread; returns when all are
// done. If a thread cannot be started, its chunk runs on the calling thread.
// Returns the number of chunks.
int ForEachChunk(size_t count, int threads,
                 const std::function<void(int chunk, size_t begin, size_t end)>& fn);

}  // namespace photomap::search
