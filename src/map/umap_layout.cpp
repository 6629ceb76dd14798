#include "map/umap_layout.h"

#include <algorithm>
#include <atomic>
#include <barrier>
#include <cmath>
#include <system_error>
#include <thread>

#include "map/rng.h"
#include "map/sgd_epoch.h"

namespace photomap::map {

namespace {

// Sum of squared residuals and the Jacobian-based normal equations of the curve fit at (a, b).
struct Fit {
  double sse = 0, jtj[2][2] = {{0, 0}, {0, 0}}, jtr[2] = {0, 0};
};

Fit Evaluate(const std::vector<double>& xs, const std::vector<double>& ys, double a, double b) {
  Fit f;
  for (size_t i = 0; i < xs.size(); ++i) {
    const double x = xs[i];
    const double u = x > 0 ? std::pow(x, 2 * b) : 0.0;
    const double den = 1 + a * u;
    const double r = 1 / den - ys[i];
    const double ja = -u / (den * den);
    const double jb = x > 0 ? -a * u * 2 * std::log(x) / (den * den) : 0.0;
    f.sse += r * r;
    f.jtj[0][0] += ja * ja;
    f.jtj[0][1] += ja * jb;
    f.jtj[1][1] += jb * jb;
    f.jtr[0] += ja * r;
    f.jtr[1] += jb * r;
  }
  f.jtj[1][0] = f.jtj[0][1];
  return f;
}

// The edges sorted by head form long chains of updates to one point, each waiting on the last.
// Visiting kStreams evenly spaced runs of edges [begin, end) round-robin instead lets the CPU
// overlap independent chains (about 2x faster); the order is fixed, so the layout stays
// deterministic.
EdgeList InterleaveEdges(const EdgeList& edges, size_t begin, size_t end) {
  constexpr size_t kStreams = 8;
  const size_t n = end - begin;
  const size_t run = (n + kStreams - 1) / kStreams;
  EdgeList out;
  out.head.reserve(n);
  out.tail.reserve(n);
  out.epochs_per_sample.reserve(n);
  for (size_t r = 0; r < run; ++r) {
    for (size_t c = 0; c < kStreams; ++c) {
      const size_t e = begin + c * run + r;
      if (e >= end) continue;
      out.head.push_back(edges.head[e]);
      out.tail.push_back(edges.tail[e]);
      out.epochs_per_sample.push_back(edges.epochs_per_sample[e]);
    }
  }
  return out;
}

// One block of edges: its schedule, the epoch state over it and its moves of other blocks' points.
struct Block {
  EdgeList order;
  std::vector<float> epochs_per_sample, next_sample, neg_period, next_neg;
  std::vector<float> delta;
  SgdEpochState s;
};

// Splits the row-major `edges` into `blocks` runs of whole head rows with about equal edge counts;
// block b owns the head points [bounds[b], bounds[b + 1]).
std::vector<uint32_t> BlockBounds(const EdgeList& edges, size_t n_head, int blocks) {
  std::vector<uint32_t> bounds(blocks + 1, 0);
  bounds[blocks] = static_cast<uint32_t>(n_head);
  for (int b = 1; b < blocks; ++b) {
    const size_t e = edges.head.size() * b / blocks;
    bounds[b] = e < edges.head.size() ? static_cast<uint32_t>(edges.head[e]) : bounds[blocks];
    bounds[b] = std::max(bounds[b], bounds[b - 1]);
  }
  return bounds;
}

// Sets up `k` over the edges whose head lies in [lo, hi).
void InitBlock(Block& k, const EdgeList& edges, uint32_t lo, uint32_t hi, const SgdOptions& o) {
  const auto first =
      std::lower_bound(edges.head.begin(), edges.head.end(), static_cast<int32_t>(lo));
  const auto last = std::lower_bound(first, edges.head.end(), static_cast<int32_t>(hi));
  k.order = InterleaveEdges(edges, first - edges.head.begin(), last - edges.head.begin());
  const size_t n = k.order.head.size();
  k.epochs_per_sample.resize(n);
  k.neg_period.resize(n);
  for (size_t e = 0; e < n; ++e) {
    k.epochs_per_sample[e] = static_cast<float>(k.order.epochs_per_sample[e]);
    k.neg_period[e] = static_cast<float>(k.order.epochs_per_sample[e] / o.negative_sample_rate);
  }
  k.next_sample = k.epochs_per_sample;
  k.next_neg = k.neg_period;
  k.s.head = k.order.head.data();
  k.s.tail = k.order.tail.data();
  k.s.epochs_per_sample = k.epochs_per_sample.data();
  k.s.neg_period = k.neg_period.data();
  k.s.next_sample = k.next_sample.data();
  k.s.next_neg = k.next_neg.data();
  k.s.n_edges = n;
}

// The learning rate of epoch `epoch`: umap-learn lowers it after each epoch, from the epoch index.
float AlphaAt(const SgdOptions& o, int epoch) {
  if (epoch == 0) return static_cast<float>(o.initial_alpha);
  return static_cast<float>(o.initial_alpha * (1.0 - static_cast<double>(epoch - 1) / o.n_epochs));
}

// Ends an epoch of a blocked fit: adds each block's moves of other blocks' points, in block order,
// then refreshes the snapshot. `live` holds n points, the snapshot follows it.
void MergeEpoch(std::vector<Block>& blocks, float* live, size_t n) {
  for (Block& k : blocks) {
    if (k.delta.empty()) continue;
    auto add = [&](size_t from, size_t to) {
      for (size_t i = 2 * from; i < 2 * to; ++i) {
        live[i] += k.delta[i];
        k.delta[i] = 0.0f;
      }
    };
    add(0, k.s.own_lo);
    add(k.s.own_hi, n);
  }
  std::copy_n(live, 2 * n, live + 2 * n);
}

}  // namespace

CurveParams FindAbParams(double spread, double min_dist) {
  std::vector<double> xs(300), ys(300);
  for (int i = 0; i < 300; ++i) {
    xs[i] = spread * 3 * i / 299.0;
    ys[i] = xs[i] < min_dist ? 1.0 : std::exp(-(xs[i] - min_dist) / spread);
  }
  double a = 1, b = 1, lambda = 1e-3;
  Fit f = Evaluate(xs, ys, a, b);
  for (int it = 0; it < 200; ++it) {
    const double m00 = f.jtj[0][0] * (1 + lambda), m11 = f.jtj[1][1] * (1 + lambda);
    const double m01 = f.jtj[0][1];
    const double det = m00 * m11 - m01 * m01;
    if (det == 0 || !std::isfinite(det)) break;
    const double da = -(m11 * f.jtr[0] - m01 * f.jtr[1]) / det;
    const double db = -(m00 * f.jtr[1] - m01 * f.jtr[0]) / det;
    const Fit g = Evaluate(xs, ys, a + da, b + db);
    if (std::isfinite(g.sse) && g.sse < f.sse) {
      const bool converged = f.sse - g.sse <= 1e-15 * std::max(1.0, f.sse) &&
                             std::fabs(da) < 1e-12 && std::fabs(db) < 1e-12;
      a += da;
      b += db;
      f = g;
      lambda = std::max(lambda / 10, 1e-12);
      if (converged) break;
    } else {
      lambda *= 10;
      if (lambda > 1e12) break;
    }
  }
  return {a, b};
}

EdgeList MakeEdgeList(const SparseGraph& graph, int n_epochs) {
  EdgeList edges;
  float max_w = 0;
  for (float w : graph.weights) max_w = std::max(max_w, w);
  const float cut = max_w / static_cast<float>(n_epochs);
  for (size_t i = 0; i < graph.n; ++i) {
    for (size_t e = graph.row_start[i]; e < graph.row_start[i + 1]; ++e) {
      const float w = graph.weights[e];
      if (w < cut || w <= 0) continue;
      edges.head.push_back(static_cast<int32_t>(i));
      edges.tail.push_back(graph.cols[e]);
      // umap-learn: n_samples = n_epochs * w / max; epochs_per_sample = n_epochs / n_samples.
      const double n_samples = n_epochs * (static_cast<double>(w) / max_w);
      edges.epochs_per_sample.push_back(n_epochs / n_samples);
    }
  }
  return edges;
}

Status OptimizeLayout(std::vector<float>& head, std::vector<float>* tail, const EdgeList& edges,
                      CurveParams curve, const SgdOptions& options, const ProgressFn& progress) {
  const bool same = tail == nullptr || tail == &head;
  const size_t n_head = head.size() / 2;
  const size_t n_tail = same ? n_head : tail->size() / 2;
  if (edges.head.empty() || n_tail == 0) return Status::Ok();
  const int n_blocks =
      std::clamp<int>(options.blocks > 0 ? options.blocks : (n_head >= kSgdBlockMinPoints ? 2 : 1),
                      1, static_cast<int>(std::max<size_t>(n_head, 1)));
  // A blocked fit keeps live positions and the epoch-start snapshot in one buffer, so a kernel
  // reaches either with one index.
  const bool snapshot = same && n_blocks > 1;
  std::vector<float> both;
  if (snapshot) {
    both.resize(4 * n_head);
    std::copy(head.begin(), head.end(), both.begin());
    std::copy(head.begin(), head.end(), both.begin() + 2 * n_head);
  }
  float* h = snapshot ? both.data() : head.data();
  const std::vector<uint32_t> bounds = BlockBounds(edges, n_head, n_blocks);
  std::vector<Block> blocks(n_blocks);
  Rng rng(options.seed ^ 0x736764ULL);
  for (int b = 0; b < n_blocks; ++b) {
    Block& k = blocks[b];
    InitBlock(k, edges, bounds[b], bounds[b + 1], options);
    k.s.h = h;
    k.s.t = same ? h : tail->data();
    k.s.n_tail = static_cast<uint32_t>(n_tail);
    k.s.same = same;
    k.s.move_other = options.move_other;
    k.s.a = static_cast<float>(curve.a);
    k.s.b = static_cast<float>(curve.b);
    k.s.rep = 2.0f * static_cast<float>(options.gamma) * k.s.b;
    if (snapshot) {
      k.s.own_lo = bounds[b];
      k.s.own_hi = bounds[b + 1];
      k.s.snap = 2 * n_head;
      if (options.move_other) k.delta.assign(2 * n_head, 0.0f);
      k.s.delta = k.delta.data();
    }
    for (uint32_t& lane : k.s.lanes) {
      do {
        lane = static_cast<uint32_t>(rng.Next() >> 32);
      } while (lane == 0);  // xorshift32 never leaves 0
    }
  }
  const int hw = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  const int n_threads = std::clamp(options.threads > 0 ? options.threads : hw, 1, n_blocks);
  // Each epoch the threads claim blocks from a counter (any assignment gives the same bits); the
  // barrier's completion merges the epoch and resets the counter. The calling thread (w = 0)
  // reports progress after each epoch but the last, before the barrier; a cancel stops everyone
  // at that barrier.
  std::atomic<int> next_block{0};
  // The calling thread requests a stop before the barrier; the barrier's completion, which runs
  // once while every thread waits, turns it into `stop`, which the threads read after release.
  // `stop` cannot change again before every thread has read it (that needs the next barrier),
  // so all leave at the same epoch. (Reading the request itself after the barrier let a slow
  // thread see a stop requested for the next epoch and leave while the other waited for ever.)
  std::atomic<bool> stop_requested{false};
  bool stop = false;
  int stopped_at = 0;
  auto end_epoch = [&]() noexcept {
    if (snapshot) MergeEpoch(blocks, h, n_head);
    next_block.store(0, std::memory_order_relaxed);
    stop = stop_requested.load(std::memory_order_relaxed);
  };
  std::barrier sync(n_threads, end_epoch);
  auto work = [&](int w) {
    for (int epoch = 0; epoch < options.n_epochs; ++epoch) {
      const float alpha = AlphaAt(options, epoch);
      for (int b; (b = next_block.fetch_add(1, std::memory_order_relaxed)) < n_blocks;) {
        RunEpoch(blocks[b].s, epoch, alpha);
      }
      if (w == 0 && epoch + 1 < options.n_epochs && progress &&
          !progress(static_cast<double>(epoch + 1) / options.n_epochs)) {
        stopped_at = epoch + 1;
        stop_requested.store(true, std::memory_order_relaxed);
      }
      sync.arrive_and_wait();
      if (stop) return;
    }
  };
  std::vector<std::thread> workers;
  for (int w = 1; w < n_threads; ++w) {
    try {
      workers.emplace_back(work, w);
    } catch (const std::system_error&) {
      sync.arrive_and_drop();  // no such thread: the others claim its blocks
    }
  }
  work(0);
  for (std::thread& t : workers) t.join();
  if (snapshot) std::copy_n(both.begin(), 2 * n_head, head.begin());
  if (stop) {
    return Cancelled("umap layout: cancelled at epoch " + std::to_string(stopped_at));
  }
  if (progress && !progress(1.0)) {
    return Cancelled("umap layout: cancelled at epoch " + std::to_string(options.n_epochs));
  }
  return Status::Ok();
}

}  // namespace photomap::map
