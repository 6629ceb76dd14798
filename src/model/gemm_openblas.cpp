#include <cblas.h>

#include <algorithm>

#include "model/gemm_backend.h"

namespace photomap::model {

namespace {

CBLAS_TRANSPOSE ToCblas(Trans t) { return t == Trans::kNo ? CblasNoTrans : CblasTrans; }

class OpenBlasGemm final : public GemmBackend {
 public:
  OpenBlasGemm() : threads_(std::max(1, openblas_get_num_threads())) {}

  std::string_view name() const override { return "openblas"; }
  bool supports(const GemmShape& s) const override { return s.m >= 0 && s.n >= 0 && s.k >= 0; }
  void set_threads(int threads) override {
    threads_ = std::max(1, threads);
    openblas_set_num_threads(threads_);
  }
  int threads() const override { return threads_; }

  void Sgemm(Trans ta, Trans tb, int m, int n, int k, float alpha, const float* a, int lda,
             const float* b, int ldb, float beta, float* c, int ldc) override {
    if (m == 0 || n == 0) return;
    cblas_sgemm(CblasRowMajor, ToCblas(ta), ToCblas(tb), m, n, k, alpha, a, lda, b, ldb, beta, c,
                ldc);
  }

 private:
  int threads_;
};

}  // namespace

std::unique_ptr<GemmBackend> MakeOpenBlasGemm() { return std::make_unique<OpenBlasGemm>(); }

}  // namespace photomap::model
