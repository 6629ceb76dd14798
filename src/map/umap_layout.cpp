#include "map/umap_layout.h"

#include <algorithm>
#include <cmath>

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
// Visiting kStreams evenly spaced runs round-robin instead lets the CPU overlap independent
// chains (about 2x faster); the order is fixed, so the layout stays deterministic.
EdgeList InterleaveEdges(const EdgeList& edges) {
  constexpr size_t kStreams = 8;
  const size_t n = edges.head.size();
  const size_t run = (n + kStreams - 1) / kStreams;
  EdgeList out;
  out.head.reserve(n);
  out.tail.reserve(n);
  out.epochs_per_sample.reserve(n);
  for (size_t r = 0; r < run; ++r) {
    for (size_t c = 0; c < kStreams; ++c) {
      const size_t e = c * run + r;
      if (e >= n) continue;
      out.head.push_back(edges.head[e]);
      out.tail.push_back(edges.tail[e]);
      out.epochs_per_sample.push_back(edges.epochs_per_sample[e]);
    }
  }
  return out;
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
  const EdgeList order = InterleaveEdges(edges);
  const size_t n_edges = order.head.size();
  std::vector<double> next_sample(order.epochs_per_sample);
  std::vector<double> neg_period(n_edges), next_neg(n_edges);
  for (size_t e = 0; e < n_edges; ++e) {
    neg_period[e] = order.epochs_per_sample[e] / options.negative_sample_rate;
    next_neg[e] = neg_period[e];
  }
  SgdEpochState s;
  s.head = order.head.data();
  s.tail = order.tail.data();
  s.epochs_per_sample = order.epochs_per_sample.data();
  s.neg_period = neg_period.data();
  s.next_sample = next_sample.data();
  s.next_neg = next_neg.data();
  s.n_edges = n_edges;
  s.h = head.data();
  s.t = same ? head.data() : tail->data();
  s.n_tail = static_cast<uint32_t>((same ? head.size() : tail->size()) / 2);
  s.same = same;
  s.move_other = options.move_other;
  s.a = static_cast<float>(curve.a);
  s.b = static_cast<float>(curve.b);
  s.rep = 2.0f * static_cast<float>(options.gamma) * s.b;
  Rng rng(options.seed ^ 0x736764ULL);
  for (uint32_t& lane : s.lanes) {
    do {
      lane = static_cast<uint32_t>(rng.Next() >> 32);
    } while (lane == 0);  // xorshift32 never leaves 0
  }
  if (n_edges == 0 || s.n_tail == 0) return Status::Ok();
  double alpha = options.initial_alpha;
  for (int epoch = 0; epoch < options.n_epochs; ++epoch) {
    RunEpoch(s, epoch, static_cast<float>(alpha));
    alpha = options.initial_alpha * (1.0 - static_cast<double>(epoch) / options.n_epochs);
    if (progress && !progress(static_cast<double>(epoch + 1) / options.n_epochs)) {
      return Cancelled("umap layout: cancelled at epoch " + std::to_string(epoch + 1));
    }
  }
  return Status::Ok();
}

}  // namespace photomap::map
