#include "map/spectral_init.h"

#include <Spectra/MatOp/SparseSymMatProd.h>
#include <Spectra/SymEigsSolver.h>
#include <Eigen/Dense>
#include <Eigen/Sparse>

#include <algorithm>
#include <atomic>
#include <cmath>
#include <numeric>
#include <optional>
#include <system_error>
#include <thread>

namespace photomap::map {

namespace {

constexpr int kDim = 2;
constexpr size_t kDenseMaxVertices = 64;

// Flips each column so its largest-magnitude entry is positive: eigenvector signs are arbitrary,
// and this keeps the layout the same whichever solver produced them.
void FixSigns(Eigen::MatrixXd& v) {
  for (Eigen::Index c = 0; c < v.cols(); ++c) {
    Eigen::Index arg = 0;
    v.col(c).cwiseAbs().maxCoeff(&arg);
    if (v(arg, c) < 0) v.col(c) *= -1.0;
  }
}

// Eigenvectors of D^-1/2 W D^-1/2 for its 2nd and 3rd largest eigenvalues (n x 2), which are
// those of L = I - D^-1/2 W D^-1/2 for the 2nd and 3rd smallest. `w` must be connected.
std::optional<Eigen::MatrixXd> SpectralVectors(const Eigen::SparseMatrix<double>& w) {
  const Eigen::Index n = w.rows();
  Eigen::VectorXd inv_sqrt_deg(n);
  for (Eigen::Index i = 0; i < n; ++i) {
    const double deg = w.col(i).sum();
    inv_sqrt_deg[i] = deg > 0 ? 1.0 / std::sqrt(deg) : 0.0;
  }
  Eigen::SparseMatrix<double> m = inv_sqrt_deg.asDiagonal() * w * inv_sqrt_deg.asDiagonal();
  Eigen::MatrixXd out(n, kDim);
  if (static_cast<size_t>(n) <= kDenseMaxVertices) {
    Eigen::SelfAdjointEigenSolver<Eigen::MatrixXd> es{Eigen::MatrixXd(m)};
    if (es.info() != Eigen::Success) return std::nullopt;
    out.col(0) = es.eigenvectors().col(n - 2);  // ascending eigenvalues
    out.col(1) = es.eigenvectors().col(n - 3);
  } else {
    Spectra::SparseSymMatProd<double> op(m);
    const int nev = kDim + 1;
    const int ncv = static_cast<int>(std::min<Eigen::Index>(
        n, std::max<Eigen::Index>(2 * nev + 1, static_cast<Eigen::Index>(std::sqrt(n)))));
    Spectra::SymEigsSolver<Spectra::SparseSymMatProd<double>> eigs(op, nev, ncv);
    const Eigen::VectorXd v0 = Eigen::VectorXd::Ones(n);
    eigs.init(v0.data());
    eigs.compute(Spectra::SortRule::LargestAlge,
                 static_cast<int>(std::min<Eigen::Index>(n * 5, 3000)), 1e-4,
                 Spectra::SortRule::LargestAlge);
    if (eigs.info() != Spectra::CompInfo::Successful) return std::nullopt;
    const Eigen::MatrixXd vecs = eigs.eigenvectors();  // descending eigenvalues
    out.col(0) = vecs.col(1);
    out.col(1) = vecs.col(2);
  }
  if (!out.allFinite()) return std::nullopt;
  FixSigns(out);
  return out;
}

Eigen::SparseMatrix<double> SubGraph(const SparseGraph& g, const std::vector<int32_t>& members,
                                     const std::vector<int32_t>& local) {
  std::vector<Eigen::Triplet<double>> t;
  for (size_t a = 0; a < members.size(); ++a) {
    const int32_t i = members[a];
    for (size_t e = g.row_start[i]; e < g.row_start[i + 1]; ++e) {
      t.emplace_back(static_cast<int>(a), local[g.cols[e]], g.weights[e]);
    }
  }
  Eigen::SparseMatrix<double> w(static_cast<Eigen::Index>(members.size()),
                                static_cast<Eigen::Index>(members.size()));
  w.setFromTriplets(t.begin(), t.end());
  return w;
}

// Positions of the component centres (c x 2), as umap-learn's component_layout: a spectral
// embedding of the affinity exp(-d²) between component centroids (cosine distance), scaled to a
// max of 1; for at most 2·dim components, ± unit vectors instead.
Eigen::MatrixXd MetaLayout(const std::vector<int32_t>& comp, int32_t count, const MatrixView& data,
                           Rng& rng) {
  Eigen::MatrixXd meta = Eigen::MatrixXd::Zero(count, kDim);
  if (count <= 2 * kDim) {
    const int k = (count + 1) / 2;
    for (int32_t c = 0; c < count; ++c) meta(c, c % k) = c < k ? 1.0 : -1.0;
    return meta;
  }
  Eigen::MatrixXd centroids = Eigen::MatrixXd::Zero(count, static_cast<Eigen::Index>(data.cols));
  std::vector<double> sizes(count, 0.0);
  for (size_t i = 0; i < data.rows; ++i) {
    for (size_t d = 0; d < data.cols; ++d) centroids(comp[i], d) += data.row(i)[d];
    sizes[comp[i]] += 1;
  }
  if (count > 2000) {  // a dense eigensolve would take too long: spread the centres at random
    for (int32_t c = 0; c < count; ++c) meta.row(c) << rng.Uniform(-1, 1), rng.Uniform(-1, 1);
    return meta;
  }
  Eigen::VectorXd norms = centroids.rowwise().norm();
  for (int32_t c = 0; c < count; ++c) centroids.row(c) /= norms[c] > 0 ? norms[c] : 1.0;
  const Eigen::MatrixXd cos = centroids * centroids.transpose();
  const Eigen::MatrixXd aff = (-(1.0 - cos.array()).max(0.0).square()).exp().matrix();
  const Eigen::VectorXd deg = aff.rowwise().sum();
  const Eigen::VectorXd isd = deg.array().rsqrt();
  const Eigen::MatrixXd m = isd.asDiagonal() * aff * isd.asDiagonal();
  Eigen::SelfAdjointEigenSolver<Eigen::MatrixXd> es(m);
  for (int d = 0; d < kDim; ++d) {
    meta.col(d) = es.eigenvectors().col(count - 2 - d).cwiseProduct(isd);
  }
  FixSigns(meta);
  const double scale = meta.cwiseAbs().maxCoeff();
  if (scale > 0) meta /= scale;
  return meta;
}

Eigen::MatrixXd MultiComponentLayout(const SparseGraph& g, const std::vector<int32_t>& comp,
                                     int32_t count, const MatrixView& data, Rng& rng) {
  const Eigen::MatrixXd meta = MetaLayout(comp, count, data, rng);
  std::vector<std::vector<int32_t>> members(count);
  std::vector<int32_t> local(g.n);
  for (size_t i = 0; i < g.n; ++i) {
    local[i] = static_cast<int32_t>(members[comp[i]].size());
    members[comp[i]].push_back(static_cast<int32_t>(i));
  }
  // The components' own layouts are independent: solved on two threads (largest first, so the
  // threads finish together), then placed in component order, which is where the random draws
  // happen, so the result does not depend on the threads.
  std::vector<std::optional<Eigen::MatrixXd>> embeddings(count);
  std::vector<int32_t> by_size(count);
  std::iota(by_size.begin(), by_size.end(), 0);
  std::stable_sort(by_size.begin(), by_size.end(),
                   [&](int32_t a, int32_t b) { return members[a].size() > members[b].size(); });
  std::atomic<size_t> next{0};
  auto solve = [&] {
    for (size_t i; (i = next.fetch_add(1)) < by_size.size();) {
      const auto& mem = members[by_size[i]];
      if (mem.size() >= 2 * kDim && mem.size() > kDim + 1)
        embeddings[by_size[i]] = SpectralVectors(SubGraph(g, mem, local));
    }
  };
  Eigen::initParallel();
  std::optional<std::thread> helper;
  if (count > 1 && std::thread::hardware_concurrency() > 1) {
    try {
      helper.emplace(solve);
    } catch (const std::system_error&) {
      // no second thread: this one solves them all
    }
  }
  solve();
  if (helper) helper->join();
  Eigen::MatrixXd out(g.n, kDim);
  for (int32_t c = 0; c < count; ++c) {
    double nearest = std::numeric_limits<double>::infinity();
    for (int32_t o = 0; o < count; ++o) {
      const double d = (meta.row(o) - meta.row(c)).norm();
      if (d > 0) nearest = std::min(nearest, d);
    }
    const double range = std::isfinite(nearest) ? nearest / 2.0 : 1.0;
    const auto& mem = members[c];
    const std::optional<Eigen::MatrixXd>& emb = embeddings[c];
    const double scale = emb ? range / emb->cwiseAbs().maxCoeff() : 0.0;
    for (size_t a = 0; a < mem.size(); ++a) {
      for (int d = 0; d < kDim; ++d) {
        const double v = emb ? (*emb)(a, d) * scale : rng.Uniform(-range, range);
        out(mem[a], d) = v + meta(c, d);
      }
    }
  }
  return out;
}

}  // namespace

std::vector<int32_t> ConnectedComponents(const SparseGraph& g, int32_t* count) {
  std::vector<int32_t> comp(g.n, -1);
  std::vector<int32_t> stack;
  int32_t next = 0;
  for (size_t s = 0; s < g.n; ++s) {
    if (comp[s] >= 0) continue;
    comp[s] = next;
    stack.push_back(static_cast<int32_t>(s));
    while (!stack.empty()) {
      const int32_t i = stack.back();
      stack.pop_back();
      for (size_t e = g.row_start[i]; e < g.row_start[i + 1]; ++e) {
        if (comp[g.cols[e]] < 0) {
          comp[g.cols[e]] = next;
          stack.push_back(g.cols[e]);
        }
      }
    }
    ++next;
  }
  *count = next;
  return comp;
}

InitialLayout SpectralInit(const SparseGraph& graph, const MatrixView& data, Rng& rng) {
  InitialLayout out;
  const size_t n = graph.n;
  out.xy.assign(n * kDim, 0.0f);
  int32_t count = 0;
  const std::vector<int32_t> comp = ConnectedComponents(graph, &count);
  std::optional<Eigen::MatrixXd> emb;
  if (count > 1) {
    emb = MultiComponentLayout(graph, comp, count, data, rng);
    out.kind = InitKind::kMultiComponent;
  } else if (n > kDim + 1) {
    std::vector<int32_t> all(n), local(n);
    for (size_t i = 0; i < n; ++i) all[i] = local[i] = static_cast<int32_t>(i);
    emb = SpectralVectors(SubGraph(graph, all, local));
  }
  if (!emb || emb->cwiseAbs().maxCoeff() == 0.0 || !emb->allFinite()) {
    out.kind = InitKind::kRandom;
    for (auto& v : out.xy) v = static_cast<float>(rng.Uniform(-10.0, 10.0));
    return out;
  }
  const double expansion = 10.0 / emb->cwiseAbs().maxCoeff();
  for (size_t i = 0; i < n; ++i) {
    for (int d = 0; d < kDim; ++d) {
      out.xy[i * kDim + d] =
          static_cast<float>((*emb)(i, d) * expansion) + static_cast<float>(rng.Normal() * 1e-4);
    }
  }
  return out;
}

}  // namespace photomap::map
