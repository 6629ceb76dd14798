#include "search/parallel_chunks.h"

#include <algorithm>
#include <system_error>
#include <thread>
#include <vector>

namespace photomap::search {

int ForEachChunk(size_t count, int threads,
                 const std::function<void(int chunk, size_t begin, size_t end)>& fn) {
  const size_t chunks = std::max<size_t>(1, std::min<size_t>(std::max(threads, 1), count));
  auto bounds = [&](size_t c) { return count * c / chunks; };
  std::vector<std::thread> workers;
  std::vector<size_t> inline_chunks;
  for (size_t c = 1; c < chunks; ++c) {
    try {
      workers.emplace_back(fn, static_cast<int>(c), bounds(c), bounds(c + 1));
    } catch (const std::system_error&) {
      inline_chunks.push_back(c);
    }
  }
  fn(0, bounds(0), bounds(1));
  for (size_t c : inline_chunks) fn(static_cast<int>(c), bounds(c), bounds(c + 1));
  for (auto& w : workers) w.join();
  return static_cast<int>(chunks);
}

}  // namespace photomap::search
