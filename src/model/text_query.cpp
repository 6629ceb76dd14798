#include "model/text_query.h"

#include <cmath>

namespace photomap::model {
namespace {

void NormalizeInto(const float* v, int dim, double* acc) {
  double norm = 0;
  for (int i = 0; i < dim; ++i) norm += static_cast<double>(v[i]) * v[i];
  norm = std::max(std::sqrt(norm), 1e-12);
  for (int i = 0; i < dim; ++i) acc[i] += v[i] / norm;
}

}  // namespace

std::vector<std::string> QueryPrompts(EncoderFamily family, std::string_view query,
                                      bool use_ensembling) {
  if (family != EncoderFamily::kSiglip || !use_ensembling) return {std::string(query)};
  std::vector<std::string> prompts;
  for (const char* t : kSiglipQueryTemplates) {
    std::string p(t);
    p.replace(p.find("{}"), 2, query);
    prompts.push_back(std::move(p));
  }
  return prompts;
}

void EnsembleEmbeddings(const float* embeddings, int count, int dim, float* out) {
  std::vector<double> acc(static_cast<size_t>(dim), 0.0);
  for (int e = 0; e < count; ++e)
    NormalizeInto(embeddings + static_cast<size_t>(e) * dim, dim, acc.data());
  double norm = 0;
  for (double a : acc) norm += (a / count) * (a / count);
  norm = std::max(std::sqrt(norm), 1e-12);
  for (int i = 0; i < dim; ++i) out[i] = static_cast<float>(acc[i] / count / norm);
}

double CalibrateScore(double cosine, std::optional<double> logit_scale, double logit_bias) {
  if (!logit_scale.has_value()) return cosine;
  const double x = cosine * std::exp(*logit_scale) + logit_bias;
  if (x >= 0) return 1.0 / (1.0 + std::exp(-x));
  const double e = std::exp(x);
  return e / (1.0 + e);
}

}  // namespace photomap::model
