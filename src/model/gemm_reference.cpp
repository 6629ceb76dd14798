#include <algorithm>
#include <vector>

#include "model/gemm_backend.h"

namespace photomap::model {

namespace {

class ReferenceGemm final : public GemmBackend {
 public:
  std::string_view name() const override { return "reference"; }
  bool supports(const GemmShape& s) const override { return s.m >= 0 && s.n >= 0 && s.k >= 0; }
  void set_threads(int) override {}
  int threads() const override { return 1; }

  void Sgemm(Trans ta, Trans tb, int m, int n, int k, float alpha, const float* a, int lda,
             const float* b, int ldb, float beta, float* c, int ldc) override {
    for (int i = 0; i < m; ++i) {
      for (int j = 0; j < n; ++j) {
        float acc = 0.0f;
        for (int p = 0; p < k; ++p) {
          float av = ta == Trans::kNo ? a[static_cast<size_t>(i) * lda + p]
                                      : a[static_cast<size_t>(p) * lda + i];
          float bv = tb == Trans::kNo ? b[static_cast<size_t>(p) * ldb + j]
                                      : b[static_cast<size_t>(j) * ldb + p];
          acc += av * bv;
        }
        float& out = c[static_cast<size_t>(i) * ldc + j];
        out = beta == 0.0f ? alpha * acc : alpha * acc + beta * out;
      }
    }
  }
};

}  // namespace

std::unique_ptr<GemmBackend> MakeReferenceGemm() { return std::make_unique<ReferenceGemm>(); }

void Gemm(GemmBackend& backend, Trans ta, Trans tb, int m, int n, int k, float alpha,
          const float* a, int lda, const float* b, int ldb, float beta, float* c, int ldc) {
  if (backend.supports({ta, tb, m, n, k, 1, GemmDtype::kF32})) {
    backend.Sgemm(ta, tb, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
  } else {
    ReferenceGemm().Sgemm(ta, tb, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
  }
}

void GemmBatched(GemmBackend& backend, Trans ta, Trans tb, int m, int n, int k, float alpha,
                 const float* a, int lda, const float* b, int ldb, float beta, float* c, int ldc,
                 int batch, const BatchStrides& strides) {
  if (backend.supports({ta, tb, m, n, k, batch, GemmDtype::kF32})) {
    backend.SgemmBatched(ta, tb, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc, batch, strides);
  } else {
    ReferenceGemm().SgemmBatched(ta, tb, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc, batch,
                                 strides);
  }
}

Result<std::unique_ptr<GemmBackend>> MakeGemmBackend(std::string_view name) {
  if (name == "openblas") return MakeOpenBlasGemm();
  if (name == "reference") return MakeReferenceGemm();
  return Unsupported("GEMM backend '" + std::string(name) +
                     "' is not available (openblas, reference)");
}

}  // namespace photomap::model
