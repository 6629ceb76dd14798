// Text-query helpers shared by search and labelling: SigLIP prompt ensembling and score
// calibration (backend-spec §5).
//
// SigLIP albums with use_query_optimization expand a query over five templates, embed each,
// L2-normalise, average and re-normalise; CLIP families ignore the flag. SigLIP text scores are
// calibrated with the model's logit scale and bias; CLIP scores are raw cosines. Pure functions;
// thread-safe.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "model/encoder_spec.h"

namespace photomap::model {

// PhotoMapAI's ensembling templates, in order.
inline constexpr const char* kSiglipQueryTemplates[] = {
    "a photo of {}", "a drawing of {}", "an illustration of {}", "a painting of {}", "{}"};

// The prompts whose embeddings make up the query: the five templates filled with `query` for a
// SigLIP family with `use_ensembling`, else just `query`.
std::vector<std::string> QueryPrompts(EncoderFamily family, std::string_view query,
                                      bool use_ensembling);

// Mean of `count` embeddings of `dim` floats (each L2-normalised first), re-normalised, written
// to `out` (dim floats). A zero vector stays zero (F.normalize's eps 1e-12 behaviour).
// Requires: embeddings holds count * dim floats, count >= 1.
void EnsembleEmbeddings(const float* embeddings, int count, int dim, float* out);

// SigLIP calibration sigmoid(cosine * exp(logit_scale) + logit_bias), computed without overflow;
// the identity when logit_scale is absent (CLIP, OpenCLIP).
double CalibrateScore(double cosine, std::optional<double> logit_scale, double logit_bias);

}  // namespace photomap::model
