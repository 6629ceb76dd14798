// Spectral initialisation of the UMAP layout: the eigenvectors of the normalised graph Laplacian
// with the 2nd and 3rd smallest eigenvalues, as umap-learn's spectral_layout.
//
// Connected graphs use Spectra's Lanczos solver (dense Eigen for small graphs); disconnected graphs
// are laid out per component around meta positions as umap-learn's multi_component_layout does;
// tiny components and solver failures fall back to seeded uniform noise. Deterministic for a given
// Rng state. Pure functions; thread-safe.
#pragma once

#include <vector>

#include "map/fuzzy_simplicial_set.h"
#include "map/matrix_view.h"
#include "map/rng.h"

namespace photomap::map {

enum class InitKind { kSpectral, kMultiComponent, kRandom };

struct InitialLayout {
  std::vector<float> xy;  // n x 2, row-major
  InitKind kind = InitKind::kSpectral;
};

// Returns the 2-D starting layout scaled so that max |coordinate| is 10, plus N(0, 1e-4) noise
// (umap-learn's noisy_scale_coords); random uniform in [-10, 10) if no spectral layout exists.
// `data` (the L2-normalised embeddings, one row per vertex) places disconnected components.
InitialLayout SpectralInit(const SparseGraph& graph, const MatrixView& data, Rng& rng);

// Connected-component id per vertex (0.., in order of first vertex) and the component count.
std::vector<int32_t> ConnectedComponents(const SparseGraph& graph, int32_t* count);

}  // namespace photomap::map
