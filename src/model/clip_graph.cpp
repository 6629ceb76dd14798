// CLIP (transformers CLIPModel / OpenAI CLIP / OpenCLIP ViT) forward pass.
//
// Vision: conv patch embedding (as a GEMM over im2col rows, no bias), class token prepended,
// learned positions, pre-layernorm ("pre_layrnorm", sic), N pre-LN blocks, post-layernorm on the
// class token, visual_projection (no bias).
// Text: token + position embeddings, N pre-LN blocks under a causal mask (plus the padding mask
// when given), final layer norm, pooling at the end-of-text position chosen by the config's rule,
// text_projection (no bias).
#include <algorithm>
#include <cstring>

#include "model/graph.h"

namespace photomap::model {

namespace {

class ClipGraph final : public ModelGraph {
 public:
  static Result<std::unique_ptr<ModelGraph>> Load(const ModelConfig& config,
                                                  const WeightSource& w) {
    auto g = std::unique_ptr<ClipGraph>(new ClipGraph());
    g->config_ = config;
    const VisionConfig& vc = config.vision;
    const TextConfig& tc = config.text;
    const int64_t dv = vc.hidden_size;
    const int64_t dt = tc.hidden_size;
    const int64_t tokens = vc.num_patches() + 1;

    auto load = [&](const std::string& name, std::vector<int64_t> shape, Tensor* out) -> Status {
      auto t = w.Load(name, shape);
      if (!t.ok()) return t.error();
      *out = std::move(t).value();
      return Status::Ok();
    };
    PHOTOMAP_RETURN_IF_ERROR(
        load("vision_model.embeddings.class_embedding", {dv}, &g->class_embedding_));
    Tensor patch_w;
    PHOTOMAP_RETURN_IF_ERROR(load("vision_model.embeddings.patch_embedding.weight",
                                  {dv, vc.num_channels, vc.patch_size, vc.patch_size}, &patch_w));
    g->patch_embed_.in = vc.num_channels * vc.patch_size * vc.patch_size;
    g->patch_embed_.out = static_cast<int>(dv);
    patch_w.shape = {dv, g->patch_embed_.in};
    g->patch_embed_.weight = std::move(patch_w);
    PHOTOMAP_RETURN_IF_ERROR(
        load("vision_model.embeddings.position_embedding.weight", {tokens, dv}, &g->vision_pos_));
    auto pre = LoadLayerNorm(w, "vision_model.pre_layrnorm.", static_cast<int>(dv));
    if (!pre.ok()) return pre.error();
    g->pre_ln_ = std::move(pre).value();
    auto venc = LoadEncoder(w, "vision_model.encoder.layers.", vc);
    if (!venc.ok()) return venc.error();
    g->vision_encoder_ = std::move(venc).value();
    auto post = LoadLayerNorm(w, "vision_model.post_layernorm.", static_cast<int>(dv));
    if (!post.ok()) return post.error();
    g->post_ln_ = std::move(post).value();
    auto vproj = LoadLinear(w, "visual_projection.", static_cast<int>(dv), config.projection_dim,
                            /*bias=*/false);
    if (!vproj.ok()) return vproj.error();
    g->visual_projection_ = std::move(vproj).value();

    PHOTOMAP_RETURN_IF_ERROR(load("text_model.embeddings.token_embedding.weight",
                                  {tc.vocab_size, dt}, &g->token_embedding_));
    PHOTOMAP_RETURN_IF_ERROR(load("text_model.embeddings.position_embedding.weight",
                                  {tc.max_positions, dt}, &g->text_pos_));
    auto tenc = LoadEncoder(w, "text_model.encoder.layers.", tc);
    if (!tenc.ok()) return tenc.error();
    g->text_encoder_ = std::move(tenc).value();
    auto fin = LoadLayerNorm(w, "text_model.final_layer_norm.", static_cast<int>(dt));
    if (!fin.ok()) return fin.error();
    g->final_ln_ = std::move(fin).value();
    auto tproj = LoadLinear(w, "text_projection.", static_cast<int>(dt), config.projection_dim,
                            /*bias=*/false);
    if (!tproj.ok()) return tproj.error();
    g->text_projection_ = std::move(tproj).value();

    Tensor scale;
    PHOTOMAP_RETURN_IF_ERROR(load("logit_scale", {}, &scale));
    g->logit_scale_ = scale.data[0];
    return std::unique_ptr<ModelGraph>(std::move(g));
  }

  const ModelConfig& config() const override { return config_; }
  float logit_scale() const override { return logit_scale_; }
  std::optional<float> logit_bias() const override { return std::nullopt; }

  Status RunVision(GemmBackend& gemm, const float* pixels, int batch, bool keep_hidden,
                   VisionOutputs* out, Workspace& ws) const override {
    const VisionConfig& vc = config_.vision;
    const int d = vc.hidden_size;
    const int patches = vc.num_patches();
    const int tokens = patches + 1;
    const size_t rows = static_cast<size_t>(batch) * tokens;

    // Patch embedding: im2col rows times the flattened conv weight.
    float* cols = ws.Get(Workspace::kMisc, static_cast<size_t>(batch) * patches * patch_embed_.in);
    Patchify(pixels, batch, vc.num_channels, vc.image_size, vc.patch_size, cols);
    float* hidden = ws.Get(Workspace::kHidden, rows * d);  // fully written below
    float* emb = ws.Get(Workspace::kMlp, static_cast<size_t>(batch) * patches * d);
    ApplyLinear(gemm, cols, batch * patches, patch_embed_, emb);
    for (int b = 0; b < batch; ++b) {
      float* hb = hidden + static_cast<size_t>(b) * tokens * d;
      std::memcpy(hb, class_embedding_.ptr(), sizeof(float) * d);
      std::memcpy(hb + d, emb + static_cast<size_t>(b) * patches * d,
                  sizeof(float) * static_cast<size_t>(patches) * d);
      for (size_t i = 0; i < static_cast<size_t>(tokens) * d; ++i) hb[i] += vision_pos_.data[i];
    }
    LayerNorm(hidden, static_cast<int>(rows), d, pre_ln_, vc.layer_norm_eps, hidden);
    RunEncoder(gemm, vision_encoder_, hidden, batch, tokens, AttentionMask{}, ws);

    if (keep_hidden) {
      out->last_hidden_state = Tensor({batch, tokens, d});
      std::copy(hidden, hidden + rows * d, out->last_hidden_state.data.begin());
    } else {
      out->last_hidden_state = Tensor();
    }
    out->pooled = Tensor({batch, d});
    for (int b = 0; b < batch; ++b) {
      std::memcpy(out->pooled.ptr() + static_cast<size_t>(b) * d,
                  hidden + static_cast<size_t>(b) * tokens * d, sizeof(float) * d);
    }
    LayerNorm(out->pooled.ptr(), batch, d, post_ln_, vc.layer_norm_eps, out->pooled.ptr());
    out->embeds = Tensor({batch, config_.projection_dim});
    ApplyLinear(gemm, out->pooled.ptr(), batch, visual_projection_, out->embeds.ptr());
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

    out->pooled = Tensor({batch, d});
    for (int b = 0; b < batch; ++b) {
      const int32_t* row = ids + static_cast<size_t>(b) * seq;
      int pos = PoolPosition(row, seq);
      std::memcpy(out->pooled.ptr() + static_cast<size_t>(b) * d,
                  hidden + (static_cast<size_t>(b) * seq + pos) * d, sizeof(float) * d);
    }
    if (keep_hidden) {
      out->last_hidden_state = Tensor({batch, seq, d});
      std::copy(hidden, hidden + rows * d, out->last_hidden_state.data.begin());
    } else {
      out->last_hidden_state = Tensor();
    }
    out->embeds = Tensor({batch, config_.projection_dim});
    ApplyLinear(gemm, out->pooled.ptr(), batch, text_projection_, out->embeds.ptr());
    return Status::Ok();
  }

 private:
  ClipGraph() = default;

  // The row whose hidden state is the text's summary, exactly as transformers picks it:
  // argmax over ids (first maximum) for the legacy rule, else the first eos_token_id
  // (position 0 when the row has none, as torch's argmax over all-false does).
  int PoolPosition(const int32_t* row, int seq) const {
    const TextConfig& tc = config_.text;
    if (tc.pooling == TextPooling::kLastToken) return seq - 1;
    int best = 0;
    if (tc.pooling == TextPooling::kArgmaxId) {
      for (int t = 1; t < seq; ++t) {
        if (row[t] > row[best]) best = t;
      }
      return best;
    }
    for (int t = 0; t < seq; ++t) {
      if (row[t] == tc.eos_token_id) return t;
    }
    return 0;
  }

  ModelConfig config_;
  Tensor class_embedding_;
  LinearWeights patch_embed_;  // [D, C*p*p], no bias
  Tensor vision_pos_;
  LayerNormWeights pre_ln_;
  EncoderWeights vision_encoder_;
  LayerNormWeights post_ln_;
  LinearWeights visual_projection_;
  Tensor token_embedding_;
  Tensor text_pos_;
  EncoderWeights text_encoder_;
  LayerNormWeights final_ln_;
  LinearWeights text_projection_;
  float logit_scale_ = 0.0f;
};

}  // namespace

Result<std::unique_ptr<ModelGraph>> LoadClipGraph(const ModelConfig& config,
                                                  const WeightSource& weights) {
  if (config.family != ModelFamily::kClip) return Internal("LoadClipGraph: not a CLIP config");
  return ClipGraph::Load(config, weights);
}

}  // namespace photomap::model
