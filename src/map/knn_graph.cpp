#include "map/knn_graph.h"

#include <cblas.h>

#include <algorithm>
#include <atomic>
#include <cmath>
#include <limits>
#include <mutex>
#include <numeric>
#include <optional>
#include <string>
#include <system_error>
#include <thread>

#include "map/rng.h"

namespace photomap::map {

namespace {

constexpr size_t kQueryBlock = 512;
constexpr size_t kBaseBlock = 4096;

// Per-query bounded list of the k best (distance, index) pairs, kept sorted ascending.
class TopK {
 public:
  TopK(size_t n, int k)
      : k_(k),
        dist_(n * k, std::numeric_limits<float>::infinity()),
        idx_(n * k, std::numeric_limits<int32_t>::max()) {}

  // Offers candidate `j` at distance `d` to query `q`.
  void Push(size_t q, float d, int32_t j) {
    float* dist = dist_.data() + q * k_;
    int32_t* idx = idx_.data() + q * k_;
    const int last = k_ - 1;
    if (d > dist[last] || (d == dist[last] && j >= idx[last])) return;
    int p = last;
    while (p > 0 && (d < dist[p - 1] || (d == dist[p - 1] && j < idx[p - 1]))) {
      dist[p] = dist[p - 1];
      idx[p] = idx[p - 1];
      --p;
    }
    dist[p] = d;
    idx[p] = j;
  }

  float Worst(size_t q) const { return dist_[q * k_ + k_ - 1]; }

  // Offers every entry of `other` (same shape). The kept set is the k least by (distance, index)
  // whatever the order of the offers, so merging per-thread lists gives the sequential result.
  void Merge(const TopK& other) {
    const size_t n = dist_.size() / k_;
    for (size_t q = 0; q < n; ++q) {
      for (int i = 0; i < k_; ++i) {
        const int32_t j = other.idx_[q * k_ + i];
        if (j == std::numeric_limits<int32_t>::max()) break;
        Push(q, other.dist_[q * k_ + i], j);
      }
    }
  }

  KnnGraph Finish(size_t n) && {
    KnnGraph g;
    g.n = n;
    g.k = k_;
    for (size_t i = 0; i < idx_.size(); ++i) {
      if (idx_[i] == std::numeric_limits<int32_t>::max()) {
        idx_[i] = -1;
      } else {
        dist_[i] = std::max(dist_[i], 0.0f);
      }
    }
    g.indices = std::move(idx_);
    g.distances = std::move(dist_);
    return g;
  }

 private:
  int k_;
  std::vector<float> dist_;
  std::vector<int32_t> idx_;
};

// Sets OpenBLAS to one thread while any instance lives, then restores the count found by the
// first (nested and concurrent searches share one saved count, so the last one out restores it).
class SingleThreadedBlas {
 public:
  SingleThreadedBlas() {
    std::lock_guard lock(mu_);
    if (users_++ == 0) {
      previous_ = openblas_get_num_threads();
      openblas_set_num_threads(1);
    }
  }
  ~SingleThreadedBlas() {
    std::lock_guard lock(mu_);
    if (--users_ == 0) openblas_set_num_threads(std::max(1, previous_));
  }
  SingleThreadedBlas(const SingleThreadedBlas&) = delete;
  SingleThreadedBlas& operator=(const SingleThreadedBlas&) = delete;

 private:
  static inline std::mutex mu_;
  static inline int users_ = 0;
  static inline int previous_ = 1;
};

int ThreadCount(int requested, size_t tasks) {
  const int hw = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  return static_cast<int>(std::clamp<size_t>(static_cast<size_t>(requested > 0 ? requested : hw), 1,
                                             std::max<size_t>(tasks, 1)));
}

// Runs task(t, worker) for t in [0, tasks) on `threads` workers claiming tasks from a counter;
// worker 0 is the calling thread. A thread that cannot be started leaves its share to the others.
// `keep_going` (optional) is asked by worker 0 before each of its tasks; once it says stop, no
// worker claims another task. Returns false when stopped.
template <typename Task>
bool RunTasks(size_t tasks, int threads, const std::function<bool()>& keep_going,
              const Task& task) {
  std::atomic<size_t> next{0};
  std::atomic<bool> stop{false};
  auto work = [&](int worker) {
    while (!stop.load(std::memory_order_relaxed)) {
      if (worker == 0 && keep_going && !keep_going()) {
        stop.store(true);
        break;
      }
      const size_t t = next.fetch_add(1, std::memory_order_relaxed);
      if (t >= tasks) break;
      task(t, worker);
    }
  };
  std::vector<std::thread> pool;
  for (int w = 1; w < threads; ++w) {
    try {
      pool.emplace_back(work, w);
    } catch (const std::system_error&) {
      break;
    }
  }
  work(0);
  for (std::thread& t : pool) t.join();
  return !stop.load();
}

// One TopK per worker, merged into the first when the work is done.
class WorkerTops {
 public:
  WorkerTops(size_t n, int k, int workers) : tops_(workers, TopK(n, k)) {}
  TopK& operator[](int worker) { return tops_[worker]; }
  TopK Merged() && {
    for (size_t w = 1; w < tops_.size(); ++w) tops_[0].Merge(tops_[w]);
    return std::move(tops_[0]);
  }

 private:
  std::vector<TopK> tops_;
};

// scores = a (m x d) * b^T (n x d), row-major m x n.
void Gemm(const float* a, size_t m, const float* b, size_t n, size_t d, float* scores) {
  cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, static_cast<int>(m), static_cast<int>(n),
              static_cast<int>(d), 1.0f, a, static_cast<int>(d), b, static_cast<int>(d), 0.0f,
              scores, static_cast<int>(n));
}

// Scores query rows `q` (ids `q_ids`) against base rows `b` (ids `b_ids`) and offers every pair.
// With `self`, a query meeting its own id gets distance -1 so it sorts first; Finish clamps it to
// 0.
void ScoreBlock(const float* q, const int32_t* q_ids, size_t m, const float* b,
                const int32_t* b_ids, size_t n, size_t d, bool self, std::vector<float>& scratch,
                TopK& top) {
  scratch.resize(m * n);
  Gemm(q, m, b, n, d, scratch.data());
  for (size_t i = 0; i < m; ++i) {
    const float* s = scratch.data() + i * n;
    const int32_t qi = q_ids[i];
    for (size_t j = 0; j < n; ++j) {
      float dist = 1.0f - s[j];
      if (self && b_ids[j] == qi) dist = -1.0f;
      if (dist <= top.Worst(qi)) top.Push(qi, dist, b_ids[j]);
    }
  }
}

std::optional<TopK> ExactSearch(const float* base, size_t nb, const float* queries, size_t nq,
                                size_t d, bool self, int k, const KnnOptions& options) {
  std::vector<int32_t> ids(std::max(nb, nq));
  std::iota(ids.begin(), ids.end(), 0);
  const size_t blocks = (nq + kQueryBlock - 1) / kQueryBlock;
  const int workers = ThreadCount(options.threads, blocks);
  WorkerTops tops(nq, k, workers);
  std::vector<std::vector<float>> scratch(workers);
  SingleThreadedBlas single;
  const bool done = RunTasks(blocks, workers, options.keep_going, [&](size_t block, int w) {
    const size_t q0 = block * kQueryBlock;
    const size_t m = std::min(kQueryBlock, nq - q0);
    for (size_t b0 = 0; b0 < nb; b0 += kBaseBlock) {
      const size_t n = std::min(kBaseBlock, nb - b0);
      ScoreBlock(queries + q0 * d, ids.data() + q0, m, base + b0 * d, ids.data() + b0, n, d, self,
                 scratch[w], tops[w]);
    }
  });
  if (!done) return std::nullopt;
  return std::move(tops).Merged();
}

// Index of the best score in each row of an m x c score matrix (lowest index on ties).
std::vector<int32_t> ArgmaxRows(const std::vector<float>& scores, size_t m, size_t c) {
  std::vector<int32_t> best(m);
  for (size_t i = 0; i < m; ++i) {
    const float* s = scores.data() + i * c;
    best[i] = static_cast<int32_t>(std::max_element(s, s + c) - s);
  }
  return best;
}

// Spherical k-means centroids (unit rows) trained on a seeded sample of `x`.
std::vector<float> TrainCentroids(const float* x, size_t n, size_t d, size_t cells,
                                  const KnnOptions& options) {
  Rng rng(options.seed ^ 0x6b6d65616e73ULL);
  std::vector<int32_t> order(n);
  std::iota(order.begin(), order.end(), 0);
  const size_t sample = std::min(n, cells * 64);
  for (size_t i = 0; i < sample; ++i) {
    std::swap(order[i], order[i + rng.Below(static_cast<uint32_t>(n - i))]);
  }
  std::vector<float> xs(sample * d);
  for (size_t i = 0; i < sample; ++i) {
    std::copy_n(x + order[i] * d, d, xs.data() + i * d);
  }
  std::vector<float> centroids(xs.begin(), xs.begin() + cells * d);
  std::vector<float> scores(sample * cells);
  std::vector<double> sums(cells * d);
  std::vector<size_t> counts(cells);
  for (int it = 0; it < options.kmeans_iterations; ++it) {
    Gemm(xs.data(), sample, centroids.data(), cells, d, scores.data());
    const std::vector<int32_t> assign = ArgmaxRows(scores, sample, cells);
    std::fill(sums.begin(), sums.end(), 0.0);
    std::fill(counts.begin(), counts.end(), 0);
    for (size_t i = 0; i < sample; ++i) {
      ++counts[assign[i]];
      for (size_t t = 0; t < d; ++t) sums[assign[i] * d + t] += xs[i * d + t];
    }
    for (size_t c = 0; c < cells; ++c) {
      if (counts[c] == 0) continue;  // an empty cell keeps its old centroid
      double ss = 0;
      for (size_t t = 0; t < d; ++t) ss += sums[c * d + t] * sums[c * d + t];
      const double inv = ss > 0 ? 1.0 / std::sqrt(ss) : 0.0;
      for (size_t t = 0; t < d; ++t)
        centroids[c * d + t] = static_cast<float>(sums[c * d + t] * inv);
    }
  }
  return centroids;
}

// The `nprobe` best cells of each row of an m x c score matrix, best first, ties by cell index.
std::vector<int32_t> ProbeCells(const std::vector<float>& scores, size_t m, size_t c,
                                size_t nprobe) {
  std::vector<int32_t> probes(m * nprobe);
  std::vector<int32_t> cand(c);
  for (size_t i = 0; i < m; ++i) {
    const float* s = scores.data() + i * c;
    std::iota(cand.begin(), cand.end(), 0);
    std::partial_sort(cand.begin(), cand.begin() + nprobe, cand.end(),
                      [s](int32_t a, int32_t b) { return s[a] > s[b] || (s[a] == s[b] && a < b); });
    std::copy_n(cand.begin(), nprobe, probes.begin() + i * nprobe);
  }
  return probes;
}

// Groups `items` 0..m-1 by the keys in `keys` (m x per rows), preserving item order in each group.
void GroupBy(const std::vector<int32_t>& keys, size_t m, size_t per, size_t groups,
             std::vector<size_t>& start, std::vector<int32_t>& members) {
  start.assign(groups + 1, 0);
  for (int32_t key : keys) ++start[key + 1];
  std::partial_sum(start.begin(), start.end(), start.begin());
  std::vector<size_t> fill(start.begin(), start.end() - 1);
  members.resize(keys.size());
  for (size_t i = 0; i < m; ++i) {
    for (size_t p = 0; p < per; ++p) members[fill[keys[i * per + p]]++] = static_cast<int32_t>(i);
  }
}

std::optional<TopK> IvfSearch(const float* base, size_t nb, const float* queries, size_t nq,
                              size_t d, bool self, int k, const KnnOptions& options) {
  const size_t cells =
      std::clamp<size_t>(static_cast<size_t>(std::lround(std::sqrt(static_cast<double>(nb)) *
                                                         options.cells_per_sqrt_n)),
                         1, nb);
  const size_t nprobe =
      std::clamp<size_t>(static_cast<size_t>(std::max(options.nprobe, 1)), 1, cells);
  const std::vector<float> centroids = TrainCentroids(base, nb, d, cells, options);

  std::vector<float> base_scores(nb * cells);
  Gemm(base, nb, centroids.data(), cells, d, base_scores.data());
  std::vector<size_t> cell_start;
  std::vector<int32_t> cell_members;
  GroupBy(ArgmaxRows(base_scores, nb, cells), nb, 1, cells, cell_start, cell_members);

  std::vector<int32_t> probes;
  if (self) {
    probes = ProbeCells(base_scores, nb, cells, nprobe);
  } else {
    std::vector<float> query_scores(nq * cells);
    Gemm(queries, nq, centroids.data(), cells, d, query_scores.data());
    probes = ProbeCells(query_scores, nq, cells, nprobe);
  }
  base_scores = {};
  std::vector<size_t> probe_start;
  std::vector<int32_t> probe_members;
  GroupBy(probes, nq, nprobe, cells, probe_start, probe_members);

  const int workers = ThreadCount(options.threads, cells);
  WorkerTops tops(nq, k, workers);
  struct Scratch {
    std::vector<float> cell_rows, query_rows, scores;
  };
  std::vector<Scratch> scratch(workers);
  SingleThreadedBlas single;
  const bool done = RunTasks(cells, workers, options.keep_going, [&](size_t c, int w) {
    const size_t n = cell_start[c + 1] - cell_start[c];
    if (n == 0) return;
    Scratch& s = scratch[w];
    const int32_t* b_ids = cell_members.data() + cell_start[c];
    s.cell_rows.resize(n * d);
    for (size_t j = 0; j < n; ++j) std::copy_n(base + b_ids[j] * d, d, s.cell_rows.data() + j * d);
    for (size_t q0 = probe_start[c]; q0 < probe_start[c + 1]; q0 += kQueryBlock) {
      const size_t m = std::min(kQueryBlock, probe_start[c + 1] - q0);
      const int32_t* q_ids = probe_members.data() + q0;
      s.query_rows.resize(m * d);
      for (size_t i = 0; i < m; ++i) {
        std::copy_n(queries + q_ids[i] * d, d, s.query_rows.data() + i * d);
      }
      ScoreBlock(s.query_rows.data(), q_ids, m, s.cell_rows.data(), b_ids, n, d, self, s.scores,
                 tops[w]);
    }
  });
  if (!done) return std::nullopt;
  return std::move(tops).Merged();
}

Status CheckShapes(const MatrixView& base, const MatrixView& queries, int k) {
  if (k < 1 || static_cast<size_t>(k) > base.rows) {
    return InvalidInput("knn: k = " + std::to_string(k) + " must be in [1, " +
                        std::to_string(base.rows) + "] (the number of base rows)");
  }
  if (base.cols == 0 || base.cols != queries.cols) {
    return InvalidInput("knn: embeddings have " + std::to_string(base.cols) + " and " +
                        std::to_string(queries.cols) + " columns; both must be equal and > 0");
  }
  return Status::Ok();
}

Result<KnnGraph> Search(const MatrixView& base, const MatrixView& queries, int k, bool self,
                        const KnnOptions& options) {
  // Unit rows are used in place; others are normalised into copies.
  std::vector<float> base_copy, query_copy;
  if (!options.rows_are_unit) base_copy = NormalizedRows(base);
  if (!options.rows_are_unit && !self) query_copy = NormalizedRows(queries);
  const float* nb = options.rows_are_unit ? base.data : base_copy.data();
  const float* q = self ? nb : (options.rows_are_unit ? queries.data : query_copy.data());
  std::optional<TopK> top =
      base.rows <= options.exact_max_rows
          ? ExactSearch(nb, base.rows, q, queries.rows, base.cols, self, k, options)
          : IvfSearch(nb, base.rows, q, queries.rows, base.cols, self, k, options);
  if (!top) return Cancelled("knn: cancelled");
  return std::move(*top).Finish(queries.rows);
}

}  // namespace

Result<KnnGraph> BuildKnnGraph(const MatrixView& x, int k, const KnnOptions& options) {
  PHOTOMAP_RETURN_IF_ERROR(CheckShapes(x, x, k));
  return Search(x, x, k, /*self=*/true, options);
}

Result<KnnGraph> QueryKnn(const MatrixView& base, const MatrixView& queries, int k,
                          const KnnOptions& options) {
  PHOTOMAP_RETURN_IF_ERROR(CheckShapes(base, queries, k));
  return Search(base, queries, k, /*self=*/false, options);
}

}  // namespace photomap::map
