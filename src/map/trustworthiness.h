// Trustworthiness of a 2-D layout (scikit-learn's sklearn.manifold.trustworthiness): how far the
// layout's k nearest neighbours of each point are, by rank, from its true neighbours in the input
// space. 1 means every layout neighbour is a true neighbour. Used by tests and benchmarks.
//
// O(N²·D) time and O(N) extra memory per row; meant for N up to a few thousand (subsample larger
// sets). Pure function; thread-safe.
#pragma once

#include <vector>

#include "map/matrix_view.h"
#include "util/status.h"

namespace photomap::map {

// Returns the trustworthiness of `layout` (N x 2) for `x` (N x D) with Euclidean distances in both
// spaces, as sklearn. Errors: InvalidInput when shapes disagree or k >= N / 2.
Result<double> Trustworthiness(const MatrixView& x, const std::vector<float>& layout, int k);

}  // namespace photomap::map
