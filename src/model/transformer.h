// Transformer building blocks shared by the CLIP and SigLIP graphs.
//
// Activations are row-major float32 matrices [rows, width], rows = batch * sequence. Every dense
// product goes through a GemmBackend, so the blocks run unchanged on any backend. The elementwise
// kernels (layer norm, softmax, GELU variants) are vectorised with a polynomial exp / erf accurate
// to a few float ulps; tests compare them with the libm formulas.
//
// Thread-safety: the weight structs are immutable once loaded and may be shared by concurrent
// forward passes; each pass needs its own Workspace and GemmBackend use is serialised by the
// caller.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "model/gemm_backend.h"
#include "model/model_config.h"
#include "model/tensor.h"
#include "model/weights.h"
#include "util/status.h"

namespace photomap::model {

struct LinearWeights {
  Tensor weight;  // [out, in], PyTorch nn.Linear layout
  Tensor bias;    // [out], or empty for a bias-free projection
  int in = 0;
  int out = 0;
};

struct LayerNormWeights {
  Tensor weight;  // [dim]
  Tensor bias;    // [dim]
};

struct EncoderLayerWeights {
  LayerNormWeights ln1;
  LinearWeights qkv;  // q, k, v projections stacked: [3 * dim, dim]
  LinearWeights out_proj;
  LayerNormWeights ln2;
  LinearWeights fc1;
  LinearWeights fc2;
};

struct EncoderWeights {
  std::vector<EncoderLayerWeights> layers;
  int dim = 0;
  int heads = 0;
  int ffn = 0;
  Activation act = Activation::kGelu;
  float eps = 1e-5f;
};

// Loaders (HF names). `prefix` ends with a dot, e.g. "vision_model.post_layernorm.".
Result<LinearWeights> LoadLinear(const WeightSource& w, const std::string& prefix, int in, int out,
                                 bool bias);
Result<LayerNormWeights> LoadLayerNorm(const WeightSource& w, const std::string& prefix, int dim);
// Loads q_proj/k_proj/v_proj under `prefix` into one stacked [3*dim, dim] projection.
Result<LinearWeights> LoadQkv(const WeightSource& w, const std::string& prefix, int dim);
// Loads `tower.num_layers` pre-LN layers "<prefix>N.{layer_norm1,self_attn,layer_norm2,mlp}".
Result<EncoderWeights> LoadEncoder(const WeightSource& w, const std::string& prefix,
                                   const TowerConfig& tower);

// Which keys a query may attend to.
struct AttentionMask {
  bool causal = false;                // query i sees keys j <= i
  const int32_t* key_mask = nullptr;  // optional [batch, kv_len]; 0 = padding key, ignored
};

// Scratch buffers for one forward pass, grown on demand and reused across layers and calls.
class Workspace {
 public:
  float* Get(int slot, size_t floats);
  enum Slot { kHidden, kNorm, kQkv, kAttn, kMlp, kScores, kMisc, kNumSlots };

 private:
  std::vector<float> buffers_[kNumSlots];
};

// ---- Kernels -------------------------------------------------------------------------------
// y[r] = (x[r] - mean) / sqrt(var + eps) * w + b for each of `rows` rows; y may alias x.
void LayerNorm(const float* x, int rows, int dim, const LayerNormWeights& ln, float eps, float* y);
// In place.
void ApplyActivation(Activation act, float* x, size_t n);
// Row-wise softmax over `cols` entries of each row; entries with keep[j] == 0 (if keep is given)
// and, for causal, j > causal_row become 0. In place.
void SoftmaxRow(float* row, int cols, const int32_t* keep, int causal_limit);
// Vectorised float exp and erf (exposed for tests).
void VecExp(const float* x, float* y, size_t n);
void VecErf(const float* x, float* y, size_t n);

// y[rows, out] = x[rows, in] * W^T + b  (ldy = out).
void ApplyLinear(GemmBackend& gemm, const float* x, int rows, const LinearWeights& lin, float* y);
// y += x * W^T + b (residual accumulate).
void ApplyLinearAccumulate(GemmBackend& gemm, const float* x, int rows, const LinearWeights& lin,
                           float* y);

// Multi-head scaled dot-product attention for `batch` independent sequences.
// q: [batch * q_len, ldq] (head h at columns h*head_dim), k/v likewise with kv_len rows per
// sequence; out: [batch * q_len, ldo]. Scores scaled by 1/sqrt(head_dim).
void MultiHeadAttention(GemmBackend& gemm, const float* q, int ldq, const float* k, int ldk,
                        const float* v, int ldv, int batch, int q_len, int kv_len, int heads,
                        int head_dim, const AttentionMask& mask, float* out, int ldo,
                        Workspace& ws);

// Runs every pre-LN layer of `enc` over hidden [batch * seq, dim] in place:
//   h += Attn(LN1(h)); h += MLP(LN2(h)).
void RunEncoder(GemmBackend& gemm, const EncoderWeights& enc, float* hidden, int batch, int seq,
                const AttentionMask& mask, Workspace& ws);

// Normalises each row of x [rows, dim] to unit L2 norm (rows of zeros stay zero; eps 1e-12 as
// torch.nn.functional.normalize).
void L2NormalizeRows(float* x, int rows, int dim);

}  // namespace photomap::model
