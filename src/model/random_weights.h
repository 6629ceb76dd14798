// RandomWeights: a WeightSource that synthesises deterministic random tensors of whatever shape
// the graph asks for, so benchmarks and model tools can run real architectures (ViT-B/32,
// ViT-L/14, SigLIP) without downloading weights. Values: uniform in +-1/sqrt(fan_in) for
// matrices, 1 + small noise for norm weights ("*norm*.weight", "ln_*"), small values otherwise;
// scaled so activations stay in a realistic range through many layers (no inf / NaN / denormals).
// Thread-safety: immutable; Load may be called concurrently.
#pragma once

#include <cstdint>
#include <memory>

#include "model/weights.h"

namespace photomap::model {

// Same seed, same tensors (each tensor's stream is seeded from `seed` and its name).
std::unique_ptr<WeightSource> MakeRandomWeights(uint64_t seed);

}  // namespace photomap::model
