// Every fast GEMM backend against the reference backend (and a double-precision product) on
// random shapes, all transpose combinations, alpha/beta, padded leading dimensions and threads.
#include <gtest/gtest.h>

#include <cmath>
#include <random>

#include "model/gemm_backend.h"

namespace photomap::model {
namespace {

struct Problem {
  Trans ta, tb;
  int m, n, k, lda, ldb, ldc;
  float alpha, beta;
  std::vector<float> a, b, c;
};

Problem Make(std::mt19937& rng, int m, int n, int k, Trans ta, Trans tb, float alpha, float beta,
             int pad) {
  std::uniform_real_distribution<float> u(-1.0f, 1.0f);
  Problem p{ta, tb, m, n, k, 0, 0, 0, alpha, beta, {}, {}, {}};
  int a_rows = ta == Trans::kNo ? m : k, a_cols = ta == Trans::kNo ? k : m;
  int b_rows = tb == Trans::kNo ? k : n, b_cols = tb == Trans::kNo ? n : k;
  p.lda = a_cols + pad;
  p.ldb = b_cols + pad;
  p.ldc = n + pad;
  p.a.resize(static_cast<size_t>(std::max(a_rows, 1)) * p.lda);
  p.b.resize(static_cast<size_t>(std::max(b_rows, 1)) * p.ldb);
  p.c.resize(static_cast<size_t>(std::max(m, 1)) * p.ldc);
  for (auto* v : {&p.a, &p.b, &p.c}) {
    for (auto& x : *v) x = u(rng);
  }
  return p;
}

// C in double, for the tolerance check.
std::vector<double> Exact(const Problem& p) {
  std::vector<double> out(p.c.size());
  for (size_t i = 0; i < p.c.size(); ++i) out[i] = p.c[i];
  for (int i = 0; i < p.m; ++i) {
    for (int j = 0; j < p.n; ++j) {
      double acc = 0;
      for (int q = 0; q < p.k; ++q) {
        double av = p.ta == Trans::kNo ? p.a[i * p.lda + q] : p.a[q * p.lda + i];
        double bv = p.tb == Trans::kNo ? p.b[q * p.ldb + j] : p.b[j * p.ldb + q];
        acc += av * bv;
      }
      double& c = out[i * p.ldc + j];
      c = p.alpha * acc + (p.beta == 0.0f ? 0.0 : p.beta * c);
    }
  }
  return out;
}

std::vector<float> RunGemm(GemmBackend& g, const Problem& p) {
  std::vector<float> c = p.c;
  g.Sgemm(p.ta, p.tb, p.m, p.n, p.k, p.alpha, p.a.data(), p.lda, p.b.data(), p.ldb, p.beta,
          c.data(), p.ldc);
  return c;
}

TEST(GemmTest, BackendsByName) {
  EXPECT_EQ((*MakeGemmBackend("openblas"))->name(), "openblas");
  EXPECT_EQ((*MakeGemmBackend("reference"))->name(), "reference");
  auto bad = MakeGemmBackend("cublas");
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().kind, ErrorKind::kUnsupported);
}

TEST(GemmTest, OpenBlasMatchesReferenceOnRandomShapes) {
  std::mt19937 rng(42);
  auto ref = MakeReferenceGemm();
  auto fast = MakeOpenBlasGemm();
  std::uniform_int_distribution<int> dim(1, 97);
  const float alphas[] = {1.0f, 0.125f, -2.0f};
  const float betas[] = {0.0f, 1.0f, 0.5f};
  for (int threads : {1, 2}) {
    fast->set_threads(threads);
    EXPECT_EQ(fast->threads(), threads);
    for (int iter = 0; iter < 60; ++iter) {
      Trans ta = iter % 2 ? Trans::kYes : Trans::kNo;
      Trans tb = (iter / 2) % 2 ? Trans::kYes : Trans::kNo;
      int m = dim(rng), n = dim(rng), k = dim(rng);
      if (iter % 10 == 9) m = 1;  // vector-like shapes
      Problem p = Make(rng, m, n, k, ta, tb, alphas[iter % 3], betas[(iter / 3) % 3], iter % 4);
      ASSERT_TRUE(fast->supports({ta, tb, m, n, k}));
      auto exact = Exact(p);
      auto r = RunGemm(*ref, p);
      auto f = RunGemm(*fast, p);
      const double tol = 4e-7 * k * std::fabs(p.alpha) + 1e-6;
      for (int i = 0; i < m; ++i) {
        for (int j = 0; j < n; ++j) {
          size_t idx = static_cast<size_t>(i) * p.ldc + j;
          ASSERT_NEAR(r[idx], exact[idx], tol) << "reference m=" << m << " n=" << n << " k=" << k;
          ASSERT_NEAR(f[idx], r[idx], 2 * tol)
              << "openblas vs reference m=" << m << " n=" << n << " k=" << k
              << " ta=" << (ta == Trans::kYes) << " tb=" << (tb == Trans::kYes);
        }
        // Padding columns of C are never written.
        for (int j = n; j < p.ldc; ++j) {
          size_t idx = static_cast<size_t>(i) * p.ldc + j;
          ASSERT_EQ(f[idx], p.c[idx]);
          ASSERT_EQ(r[idx], p.c[idx]);
        }
      }
    }
  }
}

TEST(GemmTest, LargeShapesLikeAVitLayer) {
  std::mt19937 rng(7);
  auto ref = MakeReferenceGemm();
  auto fast = MakeOpenBlasGemm();
  fast->set_threads(2);
  // rows = batch * tokens of a small batch; N, K = a B/32 width slice
  Problem p = Make(rng, 100, 300, 768, Trans::kNo, Trans::kYes, 1.0f, 1.0f, 0);
  auto r = RunGemm(*ref, p);
  auto f = RunGemm(*fast, p);
  double max_diff = 0;
  for (size_t i = 0; i < r.size(); ++i)
    max_diff = std::max(max_diff, std::fabs(double(r[i]) - f[i]));
  EXPECT_LT(max_diff, 1e-4);
}

TEST(GemmTest, ZeroSizedProblemsAreNoOps) {
  auto fast = MakeOpenBlasGemm();
  auto ref = MakeReferenceGemm();
  std::vector<float> a(4, 1.0f), b(4, 1.0f), c(4, 3.0f);
  for (GemmBackend* g : {fast.get(), ref.get()}) {
    g->Sgemm(Trans::kNo, Trans::kNo, 0, 2, 2, 1.0f, a.data(), 2, b.data(), 2, 0.0f, c.data(), 2);
    g->Sgemm(Trans::kNo, Trans::kNo, 2, 0, 2, 1.0f, a.data(), 2, b.data(), 2, 0.0f, c.data(), 2);
    EXPECT_EQ(c, std::vector<float>(4, 3.0f)) << g->name();
  }
}

TEST(GemmTest, BatchedMatchesLoopOnBothBackends) {
  std::mt19937 rng(9);
  std::uniform_real_distribution<float> u(-1.0f, 1.0f);
  // Heads laid side by side in columns, as attention uses it: A [m, heads*k], B [n, heads*k].
  const int m = 7, n = 5, k = 4, heads = 3;
  std::vector<float> a(m * heads * k), b(n * heads * k);
  for (auto& x : a) x = u(rng);
  for (auto& x : b) x = u(rng);
  auto ref = MakeReferenceGemm();
  for (auto make : {&MakeReferenceGemm, &MakeOpenBlasGemm}) {
    auto g = make();
    std::vector<float> c(heads * m * n, -1.0f), want(heads * m * n, -1.0f);
    g->SgemmBatched(Trans::kNo, Trans::kYes, m, n, k, 0.5f, a.data(), heads * k, b.data(),
                    heads * k, 0.0f, c.data(), n, heads, {k, k, m * n});
    for (int h = 0; h < heads; ++h) {
      ref->Sgemm(Trans::kNo, Trans::kYes, m, n, k, 0.5f, a.data() + h * k, heads * k,
                 b.data() + h * k, heads * k, 0.0f, want.data() + h * m * n, n);
    }
    for (size_t i = 0; i < c.size(); ++i) ASSERT_NEAR(c[i], want[i], 1e-5) << g->name();
  }
}

// A backend that claims no shape: Gemm() must route everything to the reference.
class DecliningGemm final : public GemmBackend {
 public:
  std::string_view name() const override { return "declining"; }
  bool supports(const GemmShape&) const override { return false; }
  void Sgemm(Trans, Trans, int, int, int, float, const float*, int, const float*, int, float,
             float*, int) override {
    ADD_FAILURE() << "Sgemm called for a shape supports() declined";
  }
  void set_threads(int) override {}
  int threads() const override { return 1; }
};

TEST(GemmTest, UnsupportedShapesFallBackToReference) {
  std::mt19937 rng(5);
  Problem p = Make(rng, 6, 9, 4, Trans::kNo, Trans::kYes, 1.0f, 0.0f, 1);
  DecliningGemm declining;
  std::vector<float> c = p.c;
  Gemm(declining, p.ta, p.tb, p.m, p.n, p.k, p.alpha, p.a.data(), p.lda, p.b.data(), p.ldb, p.beta,
       c.data(), p.ldc);
  auto ref = MakeReferenceGemm();
  EXPECT_EQ(c, RunGemm(*ref, p));
  GemmBatched(declining, p.ta, p.tb, p.m, p.n, p.k, p.alpha, p.a.data(), p.lda, p.b.data(), p.ldb,
              p.beta, c.data(), p.ldc, 1, {});
  EXPECT_EQ(c, RunGemm(*ref, p));
}

}  // namespace
}  // namespace photomap::model
