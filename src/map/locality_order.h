// A memory order for the SGD's points that keeps map neighbours close in memory.
//
// The SGD touches each edge's head and tail and a few random points per edge. In input order a
// point's graph neighbours are scattered over the whole position array (at 50k points, 400 KB
// live plus a snapshot and per-block deltas: more than the L2 cache), so most of those touches
// miss. Sorting the points along a Z-order curve of their initial 2-D positions puts graph
// neighbours (which the initialisation already places near each other) a few cache lines apart,
// and makes the SGD's blocks (runs of head rows) spatial halves of the map, so few edges cross a
// block boundary. Pure functions; deterministic (ties by index).
#pragma once

#include <cstdint>
#include <vector>

#include "map/fuzzy_simplicial_set.h"

namespace photomap::map {

// Point ids in Z-order of their (x, y) in `xy` (n x 2), ties by id: order[new] = old.
std::vector<int32_t> LocalityOrder(const std::vector<float>& xy);

// `g` with point `order[new]` renamed `new`: rows in the new order, each row's columns renamed
// and sorted ascending (weights follow).
SparseGraph PermuteGraph(const SparseGraph& g, const std::vector<int32_t>& order);

}  // namespace photomap::map
