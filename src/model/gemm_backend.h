// GemmBackend: the one matrix-multiply interface the transformer graphs call.
//
// Everything dense in the encoders (linear layers, patch embedding, attention scores and mixes)
// is a single-precision GEMM on row-major host buffers:
//     C[m x n] = alpha * op(A)[m x k] * op(B)[k x n] + beta * C
// with op(X) = X or X^T and leading dimensions in elements (as in cblas with CblasRowMajor).
// The graphs never call a BLAS directly, so another implementation (cuBLAS, a bf16 / int8
// kernel) slots in by implementing this class; supports() lets a backend decline shapes it does
// not handle, in which case the caller falls back to the reference backend.
//
// Backends:
//   "openblas"   cblas_sgemm (gemm_openblas.cpp); set_threads() sets OpenBLAS's pool size.
//   "reference"  naive triple loop with float accumulation in k order (gemm_reference.cpp): slow,
//                obviously correct, the twin every fast path is tested against.
// Callers go through Gemm() / GemmBatched() below, which route a shape the backend does not
// support() to the reference backend, so a partial backend (e.g. one that only claims large
// multiplies, or only bf16-friendly shapes) is always safe to plug in.
//
// Thread-safety: Sgemm may be called from one thread at a time per backend object; the threads
// setting is process-wide for OpenBLAS.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "util/status.h"

namespace photomap::model {

enum class Trans { kNo, kYes };

// Element type of A and B as the graph holds them; C and accumulation are always float32.
// Everything is F32 today; the field is the seam for bf16 / int8 weight backends.
enum class GemmDtype { kF32 };

struct GemmShape {
  Trans trans_a = Trans::kNo;
  Trans trans_b = Trans::kNo;
  int64_t m = 0, n = 0, k = 0;
  int64_t batch = 1;  // > 1 for SgemmBatched
  GemmDtype dtype = GemmDtype::kF32;
};

// Strides (in elements) between consecutive problems of a batched GEMM.
struct BatchStrides {
  int64_t a = 0, b = 0, c = 0;
};

class GemmBackend {
 public:
  virtual ~GemmBackend() = default;

  virtual std::string_view name() const = 0;
  virtual bool supports(const GemmShape& shape) const = 0;
  // Row-major C = alpha * op(A) * op(B) + beta * C. beta == 0 ignores C's previous contents.
  virtual void Sgemm(Trans trans_a, Trans trans_b, int m, int n, int k, float alpha, const float* a,
                     int lda, const float* b, int ldb, float beta, float* c, int ldc) = 0;
  // `batch` independent problems of the same shape, problem i at a + i*strides.a etc.
  // The default loops over Sgemm; backends with a native batched call (cuBLAS) override it.
  virtual void SgemmBatched(Trans trans_a, Trans trans_b, int m, int n, int k, float alpha,
                            const float* a, int lda, const float* b, int ldb, float beta, float* c,
                            int ldc, int batch, const BatchStrides& strides) {
    for (int i = 0; i < batch; ++i) {
      Sgemm(trans_a, trans_b, m, n, k, alpha, a + i * strides.a, lda, b + i * strides.b, ldb, beta,
            c + i * strides.c, ldc);
    }
  }
  // Number of threads a single Sgemm may use (>= 1).
  virtual void set_threads(int threads) = 0;
  virtual int threads() const = 0;
};

// Runs C = alpha op(A) op(B) + beta C on `backend`, or on the reference backend when
// backend.supports() declines the shape.
void Gemm(GemmBackend& backend, Trans trans_a, Trans trans_b, int m, int n, int k, float alpha,
          const float* a, int lda, const float* b, int ldb, float beta, float* c, int ldc);
void GemmBatched(GemmBackend& backend, Trans trans_a, Trans trans_b, int m, int n, int k,
                 float alpha, const float* a, int lda, const float* b, int ldb, float beta,
                 float* c, int ldc, int batch, const BatchStrides& strides);

std::unique_ptr<GemmBackend> MakeReferenceGemm();
std::unique_ptr<GemmBackend> MakeOpenBlasGemm();
// "openblas" or "reference"; Unsupported for anything else.
Result<std::unique_ptr<GemmBackend>> MakeGemmBackend(std::string_view name);

}  // namespace photomap::model
