#include "map/umap_layout.h"

#include <algorithm>
#include <cmath>

#include "map/fast_pow.h"
#include "map/repulsion.h"
#include "map/rng.h"

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
  float* h = head.data();
  float* t = same ? head.data() : tail->data();
  const uint32_t n_tail = static_cast<uint32_t>((same ? head.size() : tail->size()) / 2);
  const float a = static_cast<float>(curve.a), b = static_cast<float>(curve.b);
  const RepulsionCurve curve8{a, b, 2.0f * static_cast<float>(options.gamma) * b};
  RepulsionBatch batch;
  const size_t n_edges = edges.head.size();
  std::vector<double> next_sample(edges.epochs_per_sample);
  std::vector<double> neg_period(n_edges), next_neg(n_edges);
  for (size_t e = 0; e < n_edges; ++e) {
    neg_period[e] = edges.epochs_per_sample[e] / options.negative_sample_rate;
    next_neg[e] = neg_period[e];
  }
  Rng rng(options.seed ^ 0x736764ULL);
  double alpha = options.initial_alpha;
  for (int epoch = 0; epoch < options.n_epochs; ++epoch) {
    const float lr = static_cast<float>(alpha);
    for (size_t e = 0; e < n_edges; ++e) {
      if (next_sample[e] > epoch) continue;
      const int32_t j = edges.head[e];
      float* cur = h + 2 * static_cast<size_t>(j);
      float* oth = t + 2 * static_cast<size_t>(edges.tail[e]);
      const float dx = cur[0] - oth[0], dy = cur[1] - oth[1];
      const float d2 = dx * dx + dy * dy;
      float gc = 0.0f;
      if (d2 > 0.0f) {
        const float pb = FastPow(d2, b);
        gc = -2.0f * a * b * pb / (d2 * (a * pb + 1.0f));
      }
      const float gx = ClipGradient(gc * dx), gy = ClipGradient(gc * dy);
      cur[0] += gx * lr;
      cur[1] += gy * lr;
      if (options.move_other) {
        oth[0] -= gx * lr;
        oth[1] -= gy * lr;
      }
      next_sample[e] += edges.epochs_per_sample[e];
      const int n_neg = static_cast<int>((epoch - next_neg[e]) / neg_period[e]);
      next_neg[e] += n_neg * neg_period[e];
      // The repulsive pushes of one sample are computed from the same position and summed, so
      // they do not form one long dependency chain (umap-learn applies them one by one; each moves
      // the point by at most 4·alpha, so the difference is below the SGD's own noise).
      const float cx = cur[0], cy = cur[1];
      float sx = 0.0f, sy = 0.0f;
      for (int p = 0; p < n_neg;) {
        batch.count = std::min(8, n_neg - p);
        for (int l = 0; l < 8; ++l) {
          if (l < batch.count) {
            const uint32_t k = rng.Below(n_tail);
            batch.ox[l] = t[2 * static_cast<size_t>(k)];
            batch.oy[l] = t[2 * static_cast<size_t>(k) + 1];
            batch.use[l] = same && k == static_cast<uint32_t>(j) ? 0.0f : 1.0f;
          } else {
            batch.ox[l] = batch.oy[l] = batch.use[l] = 0.0f;
          }
        }
        p += batch.count;
        RepulsionForce(cx, cy, batch, curve8, &sx, &sy);
      }
      cur[0] += sx * lr;
      cur[1] += sy * lr;
    }
    alpha = options.initial_alpha * (1.0 - static_cast<double>(epoch) / options.n_epochs);
    if (progress && !progress(static_cast<double>(epoch + 1) / options.n_epochs)) {
      return Cancelled("umap layout: cancelled at epoch " + std::to_string(epoch + 1));
    }
  }
  return Status::Ok();
}

}  // namespace photomap::map
