// SigLIP (transformers SiglipModel) forward pass.
//
// Vision: conv patch embedding with bias (as a GEMM), learned positions (no class token),
// N pre-LN blocks, post-layernorm on every token, then the multi-head attention-pooling (MAP)
// head: a learned probe attends over the tokens (torch nn.MultiheadAttention with packed
// in_proj), out_proj, and a residual MLP behind a layer norm; its single output row is the
// image embedding.
// Text: token + position embeddings, N blocks without a causal mask, final layer norm, the last
// position's state through the `head` linear is the text embedding.
// logit_scale and logit_bias are kept: calibrated score = sigmoid(exp(scale) * cos + bias).
#include <algorithm>
#include <cstring>

#include "model/graph.h"

namespace photomap::model {

namespace {

class SiglipGraph final : public ModelGraph {
 public:
  static Result<std::unique_ptr<ModelGraph>> Load(const ModelConfig& config,
                                                  const WeightSource& w) {
    auto g = std::unique_ptr<SiglipGraph>(new SiglipGraph());
    g->config_ = config;
    const VisionConfig& vc = config.vision;
    const TextConfig& tc = config.text;
    const int dv = vc.hidden_size;
    const int dt = tc.hidden_size;
    if (!vc.use_head) {
      return Unsupported(w.label() +
                         ": SigLIP vision tower without the attention-pooling head "
                         "(vision_use_head false) has no image embedding");
    }
    auto load = [&](const std::string& name, std::vector<int64_t> shape, Tensor* out) -> Status {
      auto t = w.Load(name, shape);
      if (!t.ok()) return t.error();
      *out = std::move(t).value();
      return Status::Ok();
    };
    Tensor patch_w;
    PHOTOMAP_RETURN_IF_ERROR(load("vision_model.embeddings.patch_embedding.weight",
                                  {dv, vc.num_channels, vc.patch_size, vc.patch_size}, &patch_w));
    g->patch_embed_.in = vc.num_channels * vc.patch_size * vc.patch_size;
    g->patch_embed_.out = dv;
    patch_w.shape = {dv, g->patch_embed_.in};
    g->patch_embed_.weight = std::move(patch_w);
    PHOTOMAP_RETURN_IF_ERROR(
        load("vision_model.embeddings.patch_embedding.bias", {dv}, &g->patch_embed_.bias));
    PHOTOMAP_RETURN_IF_ERROR(load("vision_model.embeddings.position_embedding.weight",
                                  {vc.num_patches(), dv}, &g->vision_pos_));
    auto venc = LoadEncoder(w, "vision_model.encoder.layers.", vc);
    if (!venc.ok()) return venc.error();
    g->vision_encoder_ = std::move(venc).value();
    auto post = LoadLayerNorm(w, "vision_model.post_layernorm.", dv);
    if (!post.ok()) return post.error();
    g->post_ln_ = std::move(post).value();

    // MAP head.
    PHOTOMAP_RETURN_IF_ERROR(load("vision_model.head.probe", {1, 1, dv}, &g->probe_));
    Tensor in_w, in_b;
    PHOTOMAP_RETURN_IF_ERROR(
        load("vision_model.head.attention.in_proj_weight", {3 * dv, dv}, &in_w));
    PHOTOMAP_RETURN_IF_ERROR(load("vision_model.head.attention.in_proj_bias", {3 * dv}, &in_b));
    const size_t dd = static_cast<size_t>(dv) * dv;
    g->head_q_ = {Tensor({dv, dv}), Tensor({dv}), dv, dv};
    std::copy(in_w.data.begin(), in_w.data.begin() + static_cast<std::ptrdiff_t>(dd),
              g->head_q_.weight.data.begin());
    std::copy(in_b.data.begin(), in_b.data.begin() + dv, g->head_q_.bias.data.begin());
    g->head_kv_ = {Tensor({2 * dv, dv}), Tensor({2 * dv}), dv, 2 * dv};
    std::copy(in_w.data.begin() + static_cast<std::ptrdiff_t>(dd), in_w.data.end(),
              g->head_kv_.weight.data.begin());
    std::copy(in_b.data.begin() + dv, in_b.data.end(), g->head_kv_.bias.data.begin());
    auto hout = LoadLinear(w, "vision_model.head.attention.out_proj.", dv, dv, true);
    if (!hout.ok()) return hout.error();
    g->head_out_ = std::move(hout).value();
    auto hln = LoadLayerNorm(w, "vision_model.head.layernorm.", dv);
    if (!hln.ok()) return hln.error();
    g->head_ln_ = std::move(hln).value();
    auto fc1 = LoadLinear(w, "vision_model.head.mlp.fc1.", dv, vc.intermediate_size, true);
    if (!fc1.ok()) return fc1.error();
    g->head_fc1_ = std::move(fc1).value();
    auto fc2 = LoadLinear(w, "vision_model.head.mlp.fc2.", vc.intermediate_size, dv, true);
    if (!fc2.ok()) return fc2.error();
    g->head_fc2_ = std::move(fc2).value();

    // Text tower.
    PHOTOMAP_RETURN_IF_ERROR(load("text_model.embeddings.token_embedding.weight",
                                  {tc.vocab_size, dt}, &g->token_embedding_));
    PHOTOMAP_RETURN_IF_ERROR(load("text_model.embeddings.position_embedding.weight",
                                  {tc.max_positions, dt}, &g->text_pos_));
    auto tenc = LoadEncoder(w, "text_model.encoder.layers.", tc);
    if (!tenc.ok()) return tenc.error();
    g->text_encoder_ = std::move(tenc).value();
    auto fin = LoadLayerNorm(w, "text_model.final_layer_norm.", dt);
    if (!fin.ok()) return fin.error();
    g->final_ln_ = std::move(fin).value();
    auto head = LoadLinear(w, "text_model.head.", dt, tc.projection_size, true);
    if (!head.ok()) return head.error();
    g->text_head_ = std::move(head).value();

    if (dv != config.projection_dim) {
      return Corrupt(w.label() + ": SigLIP vision width " + std::to_string(dv) +
                     " differs from the text embedding width " +
                     std::to_string(config.projection_dim) + "; the towers cannot be compared");
    }
    Tensor scale, bias;
    PHOTOMAP_RETURN_IF_ERROR(load("logit_scale", {1}, &scale));
    PHOTOMAP_RETURN_IF_ERROR(load("logit_bias", {1}, &bias));
    g->logit_scale_ = scale.data[0];
    g->logit_bias_ = bias.data[0];
    return std::unique_ptr<ModelGraph>(std::move(g));
  }

  const ModelConfig& config() const override { return config_; }
  float logit_scale() const override { return logit_scale_; }
  std::optional<float> logit_bias() const override { return logit_bias_; }

  Status RunVision(GemmBackend& gemm, const float* pixels, int batch, bool keep_hidden,
                   VisionOutputs* out, Workspace& ws) const override {
    const VisionConfig& vc = config_.vision;
    const int d = vc.hidden_size;
    const int tokens = vc.num_patches();
    const size_t rows = static_cast<size_t>(batch) * tokens;

    float* cols = ws.Get(Workspace::kMisc, rows * patch_embed_.in);
    Patchify(pixels, batch, vc.num_channels, vc.image_size, vc.patch_size, cols);
    float* hidden = ws.Get(Workspace::kHidden, rows * d);  // fully written below
    ApplyLinear(gemm, cols, static_cast<int>(rows), patch_embed_, hidden);
    for (int b = 0; b < batch; ++b) {
      float* hb = hidden + static_cast<size_t>(b) * tokens * d;
      for (size_t i = 0; i < static_cast<size_t>(tokens) * d; ++i) hb[i] += vision_pos_.data[i];
    }
    RunEncoder(gemm, vision_encoder_, hidden, batch, tokens, AttentionMask{}, ws);
    LayerNorm(hidden, static_cast<int>(rows), d, post_ln_, vc.layer_norm_eps, hidden);
    if (keep_hidden) {
      out->last_hidden_state = Tensor({batch, tokens, d});
      std::copy(hidden, hidden + rows * d, out->last_hidden_state.data.begin());
    } else {
      out->last_hidden_state = Tensor();
    }

    // MAP head: one query (the probe) per image attends over its tokens.
    std::vector<float> kv(rows * 2 * d);
    ApplyLinear(gemm, hidden, static_cast<int>(rows), head_kv_, kv.data());
    std::vector<float> q(static_cast<size_t>(d));
    ApplyLinear(gemm, probe_.ptr(), 1, head_q_, q.data());
    std::vector<float> qb(static_cast<size_t>(batch) * d);
    for (int b = 0; b < batch; ++b) std::copy(q.begin(), q.end(), qb.begin() + b * d);
    std::vector<float> attn(static_cast<size_t>(batch) * d);
    MultiHeadAttention(gemm, qb.data(), d, kv.data(), 2 * d, kv.data() + d, 2 * d, batch, 1, tokens,
                       vc.num_heads, vc.head_dim(), AttentionMask{}, attn.data(), d, ws);
    out->pooled = Tensor({batch, d});
    float* pooled = out->pooled.ptr();
    ApplyLinear(gemm, attn.data(), batch, head_out_, pooled);  // residual
    std::vector<float> norm(static_cast<size_t>(batch) * d);
    LayerNorm(pooled, batch, d, head_ln_, vc.layer_norm_eps, norm.data());
    std::vector<float> mlp(static_cast<size_t>(batch) * vc.intermediate_size);
    ApplyLinear(gemm, norm.data(), batch, head_fc1_, mlp.data());
    ApplyActivation(vc.act, mlp.data(), mlp.size());
    ApplyLinearAccumulate(gemm, mlp.data(), batch, head_fc2_, pooled);
    out->embeds = out->pooled;
    return Status::Ok();
  }

  Status RunText(GemmBackend& gemm, const int32_t* ids, const int32_t* attention_mask, int batch,
                 int seq, bool keep_hidden, TextOutputs* out, Workspace& ws) const override {
    const TextConfig& tc = config_.text;
    PHOTOMAP_RETURN_IF_ERROR(CheckTokenInput(tc, ids, batch, seq));
    const int d = tc.hidden_size;
    const size_t rows = static_cast<size_t>(batch) * seq;
    float* hidden = ws.Get(Workspace::kHidden, rows * d);  // fully written below
    for (size_t r = 0; r < rows; ++r) {
      const float* tok = token_embedding_.ptr() + static_cast<size_t>(ids[r]) * d;
      const float* pos = text_pos_.ptr() + (r % seq) * d;
      float* h = hidden + r * d;
      for (int i = 0; i < d; ++i) h[i] = tok[i] + pos[i];
    }
    AttentionMask mask;
    mask.causal = tc.causal;
    mask.key_mask = attention_mask;
    RunEncoder(gemm, text_encoder_, hidden, batch, seq, mask, ws);
    LayerNorm(hidden, static_cast<int>(rows), d, final_ln_, tc.layer_norm_eps, hidden);
    std::vector<float> last(static_cast<size_t>(batch) * d);
    for (int b = 0; b < batch; ++b) {
      std::memcpy(last.data() + static_cast<size_t>(b) * d,
                  hidden + (static_cast<size_t>(b) * seq + seq - 1) * d, sizeof(float) * d);
    }
    if (keep_hidden) {
      out->last_hidden_state = Tensor({batch, seq, d});
      std::copy(hidden, hidden + rows * d, out->last_hidden_state.data.begin());
    } else {
      out->last_hidden_state = Tensor();
    }
    out->pooled = Tensor({batch, tc.projection_size});
    ApplyLinear(gemm, last.data(), batch, text_head_, out->pooled.ptr());
    out->embeds = out->pooled;
    return Status::Ok();
  }

 private:
  SiglipGraph() = default;

  ModelConfig config_;
  LinearWeights patch_embed_;  // [D, C*p*p] + bias
  Tensor vision_pos_;
  EncoderWeights vision_encoder_;
  LayerNormWeights post_ln_;
  Tensor probe_;
  LinearWeights head_q_;   // rows 0..D of in_proj
  LinearWeights head_kv_;  // rows D..3D of in_proj
  LinearWeights head_out_;
  LayerNormWeights head_ln_;
  LinearWeights head_fc1_;
  LinearWeights head_fc2_;
  Tensor token_embedding_;
  Tensor text_pos_;
  EncoderWeights text_encoder_;
  LayerNormWeights final_ln_;
  LinearWeights text_head_;
  float logit_scale_ = 0.0f;
  float logit_bias_ = 0.0f;
};

}  // namespace

Result<std::unique_ptr<ModelGraph>> LoadSiglipGraph(const ModelConfig& config,
                                                    const WeightSource& weights) {
  if (config.family != ModelFamily::kSiglip) {
    return Internal("LoadSiglipGraph: not a SigLIP config");
  }
  return SiglipGraph::Load(config, weights);
}

}  // namespace photomap::model
