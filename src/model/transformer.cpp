#include "model/transformer.h"

#include <algorithm>
#include <bit>
#include <cmath>
#include <cstring>

namespace photomap::model {

// Hot elementwise loops are compiled for AVX-512 / AVX2 / baseline and picked at load time.
#if defined(__x86_64__) && defined(__GNUC__) && !defined(__clang__) && \
    !defined(__SANITIZE_ADDRESS__)
#define PM_CLONES __attribute__((target_clones("arch=x86-64-v4", "arch=x86-64-v3", "default")))
#else
#define PM_CLONES
#endif

namespace {

// exp(x) for float, branch-free so loops over it vectorise: range reduction to
// x = n ln2 + r, |r| <= ln2/2, Cephes' degree-6 polynomial, scale by 2^n. Max relative error
// ~2 ulp over [-87, 88]; inputs are clamped there (exp(-87.3) ~ 1e-38 stands in for 0).
inline float ExpF(float x) {
  x = std::min(std::max(x, -87.3f), 88.3f);
  const float t = x * 1.44269504088896341f + 0x1.8p23f;  // round to nearest via magic constant
  const float n = t - 0x1.8p23f;
  float r = x - n * 0.693359375f;
  r = r - n * -2.12194440e-4f;
  float p = 1.9875691500e-4f;
  p = p * r + 1.3981999507e-3f;
  p = p * r + 8.3334519073e-3f;
  p = p * r + 4.1665795894e-2f;
  p = p * r + 1.6666665459e-1f;
  p = p * r + 5.0000001201e-1f;
  const float y = p * r * r + r + 1.0f;
  const int32_t e = static_cast<int32_t>(n) + 127;
  const float scale = std::bit_cast<float>(static_cast<uint32_t>(e) << 23);
  return y * scale;
}

// erf(x) for float: the rational approximation used by Eigen / XLA (clamped to [-4, 4], where
// erf is +-1 to float precision). Max absolute error ~1e-7.
inline float ErfF(float x) {
  x = std::min(std::max(x, -4.0f), 4.0f);
  const float x2 = x * x;
  float a = -2.72614225801306e-10f;
  a = a * x2 + 2.77068142495902e-08f;
  a = a * x2 + -2.10102402082508e-06f;
  a = a * x2 + -5.69250639462346e-05f;
  a = a * x2 + -7.34990630326855e-04f;
  a = a * x2 + -2.95459980854025e-03f;
  a = a * x2 + -1.60960333262415e-02f;
  float b = -1.45660718464996e-05f;
  b = b * x2 + -2.13374055278905e-04f;
  b = b * x2 + -1.68282697438203e-03f;
  b = b * x2 + -7.37332916720468e-03f;
  b = b * x2 + -1.42647390514189e-02f;
  return x * a / b;
}

PM_CLONES void QuickGelu(float* x, size_t n) {
  for (size_t i = 0; i < n; ++i) {
    const float v = x[i];
    x[i] = v / (1.0f + ExpF(-1.702f * v));
  }
}

PM_CLONES void GeluErf(float* x, size_t n) {
  for (size_t i = 0; i < n; ++i) {
    const float v = x[i];
    x[i] = 0.5f * v * (1.0f + ErfF(v * 0.70710678118654752f));
  }
}

PM_CLONES void GeluTanh(float* x, size_t n) {
  for (size_t i = 0; i < n; ++i) {
    const float v = x[i];
    const float u = 0.79788456080286536f * (v + 0.044715f * v * v * v);
    const float th = 1.0f - 2.0f / (ExpF(2.0f * u) + 1.0f);  // tanh(u)
    x[i] = 0.5f * v * (1.0f + th);
  }
}

PM_CLONES void Relu(float* x, size_t n) {
  for (size_t i = 0; i < n; ++i) x[i] = std::max(x[i], 0.0f);
}

PM_CLONES void LayerNormRows(const float* x, int rows, int dim, const float* w, const float* b,
                             float eps, float* y) {
  for (int r = 0; r < rows; ++r) {
    const float* xr = x + static_cast<size_t>(r) * dim;
    float* yr = y + static_cast<size_t>(r) * dim;
    float sum = 0.0f;
#pragma omp simd reduction(+ : sum)
    for (int i = 0; i < dim; ++i) sum += xr[i];
    const float mean = sum / static_cast<float>(dim);
    float sq = 0.0f;
#pragma omp simd reduction(+ : sq)
    for (int i = 0; i < dim; ++i) {
      const float d = xr[i] - mean;
      sq += d * d;
    }
    const float inv = 1.0f / std::sqrt(sq / static_cast<float>(dim) + eps);
    for (int i = 0; i < dim; ++i) yr[i] = (xr[i] - mean) * inv * w[i] + b[i];
  }
}

PM_CLONES void ExpShifted(float* row, int cols, float shift) {
  for (int j = 0; j < cols; ++j) row[j] = ExpF(row[j] - shift);
}

PM_CLONES void AddRowBias(float* y, int rows, int cols, const float* bias) {
  for (int r = 0; r < rows; ++r) {
    float* yr = y + static_cast<size_t>(r) * cols;
    for (int j = 0; j < cols; ++j) yr[j] += bias[j];
  }
}

PM_CLONES void VecExpImpl(const float* x, float* y, size_t n) {
  for (size_t i = 0; i < n; ++i) y[i] = ExpF(x[i]);
}

PM_CLONES void VecErfImpl(const float* x, float* y, size_t n) {
  for (size_t i = 0; i < n; ++i) y[i] = ErfF(x[i]);
}

}  // namespace

// ---- Loaders ---------------------------------------------------------------------------------

Result<LinearWeights> LoadLinear(const WeightSource& w, const std::string& prefix, int in, int out,
                                 bool bias) {
  LinearWeights lin;
  lin.in = in;
  lin.out = out;
  auto weight = w.Load(prefix + "weight", {out, in});
  if (!weight.ok()) return weight.error();
  lin.weight = std::move(weight).value();
  if (bias) {
    auto b = w.Load(prefix + "bias", {out});
    if (!b.ok()) return b.error();
    lin.bias = std::move(b).value();
  }
  return lin;
}

Result<LayerNormWeights> LoadLayerNorm(const WeightSource& w, const std::string& prefix, int dim) {
  LayerNormWeights ln;
  auto weight = w.Load(prefix + "weight", {dim});
  if (!weight.ok()) return weight.error();
  auto bias = w.Load(prefix + "bias", {dim});
  if (!bias.ok()) return bias.error();
  ln.weight = std::move(weight).value();
  ln.bias = std::move(bias).value();
  return ln;
}

Result<LinearWeights> LoadQkv(const WeightSource& w, const std::string& prefix, int dim) {
  LinearWeights qkv;
  qkv.in = dim;
  qkv.out = 3 * dim;
  qkv.weight = Tensor({3 * static_cast<int64_t>(dim), dim});
  qkv.bias = Tensor({3 * static_cast<int64_t>(dim)});
  const char* names[] = {"q_proj.", "k_proj.", "v_proj."};
  for (int i = 0; i < 3; ++i) {
    auto part = LoadLinear(w, prefix + names[i], dim, dim, /*bias=*/true);
    if (!part.ok()) return part.error();
    std::copy(part->weight.data.begin(), part->weight.data.end(),
              qkv.weight.data.begin() + static_cast<std::ptrdiff_t>(i) * dim * dim);
    std::copy(part->bias.data.begin(), part->bias.data.end(),
              qkv.bias.data.begin() + static_cast<std::ptrdiff_t>(i) * dim);
  }
  return qkv;
}

Result<EncoderWeights> LoadEncoder(const WeightSource& w, const std::string& prefix,
                                   const TowerConfig& tower) {
  EncoderWeights enc;
  enc.dim = tower.hidden_size;
  enc.heads = tower.num_heads;
  enc.ffn = tower.intermediate_size;
  enc.act = tower.act;
  enc.eps = tower.layer_norm_eps;
  const int d = enc.dim;
  for (int l = 0; l < tower.num_layers; ++l) {
    std::string p = prefix + std::to_string(l) + ".";
    EncoderLayerWeights layer;
    auto ln1 = LoadLayerNorm(w, p + "layer_norm1.", d);
    if (!ln1.ok()) return ln1.error();
    auto qkv = LoadQkv(w, p + "self_attn.", d);
    if (!qkv.ok()) return qkv.error();
    auto out = LoadLinear(w, p + "self_attn.out_proj.", d, d, true);
    if (!out.ok()) return out.error();
    auto ln2 = LoadLayerNorm(w, p + "layer_norm2.", d);
    if (!ln2.ok()) return ln2.error();
    auto fc1 = LoadLinear(w, p + "mlp.fc1.", d, enc.ffn, true);
    if (!fc1.ok()) return fc1.error();
    auto fc2 = LoadLinear(w, p + "mlp.fc2.", enc.ffn, d, true);
    if (!fc2.ok()) return fc2.error();
    layer.ln1 = std::move(ln1).value();
    layer.qkv = std::move(qkv).value();
    layer.out_proj = std::move(out).value();
    layer.ln2 = std::move(ln2).value();
    layer.fc1 = std::move(fc1).value();
    layer.fc2 = std::move(fc2).value();
    enc.layers.push_back(std::move(layer));
  }
  // A checkpoint with more layers than the config declares is a config/weights mismatch.
  std::string extra = prefix + std::to_string(tower.num_layers) + ".layer_norm1.weight";
  if (w.Contains(extra)) {
    return Corrupt(w.label() + ": has tensor '" + extra + "' but the config declares " +
                   std::to_string(tower.num_layers) + " layers");
  }
  return enc;
}

// ---- Workspace / kernels ---------------------------------------------------------------------

float* Workspace::Get(int slot, size_t floats) {
  auto& b = buffers_[slot];
  if (b.size() < floats) b.resize(floats);
  return b.data();
}

void LayerNorm(const float* x, int rows, int dim, const LayerNormWeights& ln, float eps, float* y) {
  LayerNormRows(x, rows, dim, ln.weight.ptr(), ln.bias.ptr(), eps, y);
}

void ApplyActivation(Activation act, float* x, size_t n) {
  switch (act) {
    case Activation::kQuickGelu:
      QuickGelu(x, n);
      break;
    case Activation::kGelu:
      GeluErf(x, n);
      break;
    case Activation::kGeluTanh:
      GeluTanh(x, n);
      break;
    case Activation::kRelu:
      Relu(x, n);
      break;
  }
}

void VecExp(const float* x, float* y, size_t n) { VecExpImpl(x, y, n); }
void VecErf(const float* x, float* y, size_t n) { VecErfImpl(x, y, n); }

void SoftmaxRow(float* row, int cols, const int32_t* keep, int causal_limit) {
  // Masked entries are set to -inf first so they neither set the max nor add to the sum.
  const float kNegInf = -std::numeric_limits<float>::infinity();
  int limit = causal_limit >= 0 ? std::min(cols, causal_limit + 1) : cols;
  for (int j = limit; j < cols; ++j) row[j] = kNegInf;
  if (keep != nullptr) {
    for (int j = 0; j < limit; ++j) {
      if (keep[j] == 0) row[j] = kNegInf;
    }
  }
  float mx = kNegInf;
  for (int j = 0; j < limit; ++j) mx = std::max(mx, row[j]);
  if (mx == kNegInf) {  // every key masked: attend to nothing
    std::fill(row, row + cols, 0.0f);
    return;
  }
  ExpShifted(row, limit, mx);
  if (keep != nullptr) {
    for (int j = 0; j < limit; ++j) {
      if (keep[j] == 0) row[j] = 0.0f;
    }
  }
  for (int j = limit; j < cols; ++j) row[j] = 0.0f;
  float sum = 0.0f;
  for (int j = 0; j < limit; ++j) sum += row[j];
  const float inv = 1.0f / sum;
  for (int j = 0; j < limit; ++j) row[j] *= inv;
}

void ApplyLinear(GemmBackend& gemm, const float* x, int rows, const LinearWeights& lin, float* y) {
  float beta = 0.0f;
  if (!lin.bias.empty()) {
    for (int r = 0; r < rows; ++r) {
      std::memcpy(y + static_cast<size_t>(r) * lin.out, lin.bias.ptr(),
                  sizeof(float) * static_cast<size_t>(lin.out));
    }
    beta = 1.0f;
  }
  Gemm(gemm, Trans::kNo, Trans::kYes, rows, lin.out, lin.in, 1.0f, x, lin.in, lin.weight.ptr(),
       lin.in, beta, y, lin.out);
}

void ApplyLinearAccumulate(GemmBackend& gemm, const float* x, int rows, const LinearWeights& lin,
                           float* y) {
  if (!lin.bias.empty()) AddRowBias(y, rows, lin.out, lin.bias.ptr());
  Gemm(gemm, Trans::kNo, Trans::kYes, rows, lin.out, lin.in, 1.0f, x, lin.in, lin.weight.ptr(),
       lin.in, 1.0f, y, lin.out);
}

void MultiHeadAttention(GemmBackend& gemm, const float* q, int ldq, const float* k, int ldk,
                        const float* v, int ldv, int batch, int q_len, int kv_len, int heads,
                        int head_dim, const AttentionMask& mask, float* out, int ldo,
                        Workspace& ws) {
  // Per sequence, all heads at once: head h of q/k/v/out sits head_dim columns after head h-1,
  // and its scores get their own [q_len, kv_len] block.
  const float scale = 1.0f / std::sqrt(static_cast<float>(head_dim));
  const int64_t block = static_cast<int64_t>(q_len) * kv_len;
  float* scores = ws.Get(Workspace::kScores, static_cast<size_t>(block) * heads);
  for (int b = 0; b < batch; ++b) {
    const int32_t* keep =
        mask.key_mask != nullptr ? mask.key_mask + static_cast<size_t>(b) * kv_len : nullptr;
    const float* qb = q + static_cast<size_t>(b) * q_len * ldq;
    const float* kb = k + static_cast<size_t>(b) * kv_len * ldk;
    const float* vb = v + static_cast<size_t>(b) * kv_len * ldv;
    float* ob = out + static_cast<size_t>(b) * q_len * ldo;
    GemmBatched(gemm, Trans::kNo, Trans::kYes, q_len, kv_len, head_dim, scale, qb, ldq, kb, ldk,
                0.0f, scores, kv_len, heads, {head_dim, head_dim, block});
    for (int h = 0; h < heads; ++h) {
      for (int i = 0; i < q_len; ++i) {
        SoftmaxRow(scores + h * block + static_cast<int64_t>(i) * kv_len, kv_len, keep,
                   mask.causal ? i : -1);
      }
    }
    GemmBatched(gemm, Trans::kNo, Trans::kNo, q_len, head_dim, kv_len, 1.0f, scores, kv_len, vb,
                ldv, 0.0f, ob, ldo, heads, {block, head_dim, head_dim});
  }
}

void RunEncoder(GemmBackend& gemm, const EncoderWeights& enc, float* hidden, int batch, int seq,
                const AttentionMask& mask, Workspace& ws) {
  const int rows = batch * seq;
  const int d = enc.dim;
  const int hd = d / enc.heads;
  const size_t rd = static_cast<size_t>(rows) * d;
  float* norm = ws.Get(Workspace::kNorm, rd);
  float* qkv = ws.Get(Workspace::kQkv, rd * 3);
  float* attn = ws.Get(Workspace::kAttn, rd);
  float* mlp = ws.Get(Workspace::kMlp, static_cast<size_t>(rows) * enc.ffn);
  for (const EncoderLayerWeights& layer : enc.layers) {
    LayerNorm(hidden, rows, d, layer.ln1, enc.eps, norm);
    ApplyLinear(gemm, norm, rows, layer.qkv, qkv);
    MultiHeadAttention(gemm, qkv, 3 * d, qkv + d, 3 * d, qkv + 2 * d, 3 * d, batch, seq, seq,
                       enc.heads, hd, mask, attn, d, ws);
    ApplyLinearAccumulate(gemm, attn, rows, layer.out_proj, hidden);
    LayerNorm(hidden, rows, d, layer.ln2, enc.eps, norm);
    ApplyLinear(gemm, norm, rows, layer.fc1, mlp);
    ApplyActivation(enc.act, mlp, static_cast<size_t>(rows) * enc.ffn);
    ApplyLinearAccumulate(gemm, mlp, rows, layer.fc2, hidden);
  }
}

void L2NormalizeRows(float* x, int rows, int dim) {
  for (int r = 0; r < rows; ++r) {
    float* xr = x + static_cast<size_t>(r) * dim;
    double ss = 0.0;
    for (int i = 0; i < dim; ++i) ss += static_cast<double>(xr[i]) * xr[i];
    const double norm = std::max(std::sqrt(ss), 1e-12);
    for (int i = 0; i < dim; ++i) xr[i] = static_cast<float>(xr[i] / norm);
  }
}

}  // namespace photomap::model
