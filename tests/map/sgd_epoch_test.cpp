#include "map/sgd_epoch.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <vector>

#include "map/fast_pow.h"
#include "map/rng.h"

namespace photomap::map {
namespace {

// FastPow against std::pow over the SGD's range of squared distances: relative error <= 2e-5.
TEST(SgdEpochTest, FastPowAccuracy) {
  double worst = 0;
  for (double x = 1e-8; x < 1e4; x *= 1.01) {
    for (float p : {0.842055f, 0.5f, 1.334f}) {
      const double want = std::pow(x, static_cast<double>(p));
      const double got = FastPow(static_cast<float>(x), p);
      worst = std::max(worst, std::fabs(got - want) / want);
    }
  }
  EXPECT_LE(worst, 2e-5) << "worst relative error " << worst;
}

struct Problem {
  std::vector<int32_t> head, tail;
  std::vector<float> eps, neg_period, next_sample, next_neg;
  std::vector<float> xy, fixed;
};

// A random graph over `n` points, with coincident points and varied sampling periods (n_neg per
// sample from 1 to over 8, so partial and multiple batches occur).
Problem MakeProblem(size_t n, size_t edges, uint64_t seed) {
  Rng rng(seed);
  Problem p;
  for (size_t i = 0; i < n; ++i) {
    const bool twin = i > 0 && rng.Below(10) == 0;
    p.xy.push_back(twin ? p.xy[2 * (i - 1)] : static_cast<float>(rng.Uniform(0, 10)));
    p.xy.push_back(twin ? p.xy[2 * (i - 1) + 1] : static_cast<float>(rng.Uniform(0, 10)));
  }
  for (size_t e = 0; e < edges; ++e) {
    p.head.push_back(static_cast<int32_t>(rng.Below(static_cast<uint32_t>(n))));
    p.tail.push_back(static_cast<int32_t>(rng.Below(static_cast<uint32_t>(n))));
    p.eps.push_back(static_cast<float>(rng.Uniform(1.0, 6.0)));
    p.neg_period.push_back(p.eps.back() / (rng.Below(4) == 0 ? 12.0f : 5.0f));
  }
  p.next_sample = p.eps;
  p.next_neg = p.neg_period;
  p.fixed = p.xy;
  return p;
}

SgdEpochState StateOf(Problem& p, bool same) {
  SgdEpochState s;
  s.head = p.head.data();
  s.tail = p.tail.data();
  s.epochs_per_sample = p.eps.data();
  s.neg_period = p.neg_period.data();
  s.next_sample = p.next_sample.data();
  s.next_neg = p.next_neg.data();
  s.n_edges = p.head.size();
  s.h = p.xy.data();
  s.t = same ? p.xy.data() : p.fixed.data();
  s.n_tail = static_cast<uint32_t>(p.xy.size() / 2);
  s.same = same;
  s.move_other = same;
  s.a = 1.7502250f;
  s.b = 0.8420554f;
  s.rep = 2.0f * s.b;
  return s;
}

// The dispatched (AVX2 where the CPU has it) epoch gives the scalar reference's bits exactly, for a
// fit (shared buffer, move_other) and a transform (fixed tail buffer).
TEST(SgdEpochTest, FastPathEqualsScalarReference) {
  for (bool same : {true, false}) {
    Problem a = MakeProblem(300, 3000, 9), b = MakeProblem(300, 3000, 9);
    SgdEpochState sa = StateOf(a, same), sb = StateOf(b, same);
    for (int epoch = 0; epoch < 40; ++epoch) {
      const float lr = 1.0f - epoch / 40.0f;
      ForceScalarSgdForTesting(false);
      RunEpoch(sa, epoch, lr);
      ForceScalarSgdForTesting(true);
      RunEpoch(sb, epoch, lr);
      ForceScalarSgdForTesting(false);
    }
    ASSERT_EQ(a.xy.size(), b.xy.size());
    size_t differ = 0;
    for (size_t i = 0; i < a.xy.size(); ++i) differ += std::memcmp(&a.xy[i], &b.xy[i], 4) != 0;
    EXPECT_EQ(differ, 0u) << (same ? "fit" : "transform") << ": " << differ
                          << " coordinates differ";
    EXPECT_EQ(a.fixed, b.fixed);
    for (float v : a.xy) ASSERT_TRUE(std::isfinite(v));
  }
}

// A block of a blocked fit (points 100..199 its own, the others read from a perturbed snapshot and
// moved through `delta`): the dispatched epoch again gives the scalar reference's bits, in the
// positions, the snapshot and the deltas, and points outside the block never change in place.
TEST(SgdEpochTest, BlockedFastPathEqualsScalarReference) {
  struct Run {
    Problem p = MakeProblem(300, 3000, 21);
    std::vector<float> both, delta;
    SgdEpochState s;
  };
  Run runs[2];
  for (Run& r : runs) {
    r.both = r.p.xy;
    for (float v : r.p.xy) r.both.push_back(v + 0.25f);
    r.delta.assign(r.p.xy.size(), 0.0f);
    r.s = StateOf(r.p, true);
    r.s.h = r.s.t = r.both.data();
    r.s.own_lo = 100;
    r.s.own_hi = 200;
    r.s.snap = r.p.xy.size();
    r.s.delta = r.delta.data();
  }
  // Only edges headed inside the block belong to it.
  for (Run& r : runs) {
    for (int32_t& h : r.p.head) h = 100 + h % 100;
  }
  for (int epoch = 0; epoch < 40; ++epoch) {
    const float lr = 1.0f - epoch / 40.0f;
    ForceScalarSgdForTesting(false);
    RunEpoch(runs[0].s, epoch, lr);
    ForceScalarSgdForTesting(true);
    RunEpoch(runs[1].s, epoch, lr);
    ForceScalarSgdForTesting(false);
  }
  EXPECT_EQ(0, std::memcmp(runs[0].both.data(), runs[1].both.data(), runs[0].both.size() * 4));
  EXPECT_EQ(0, std::memcmp(runs[0].delta.data(), runs[1].delta.data(), runs[0].delta.size() * 4));
  size_t moved_outside = 0, deltas = 0;
  for (size_t i = 0; i < runs[0].p.xy.size(); ++i) {
    const bool own = i / 2 >= 100 && i / 2 < 200;
    if (own) {
      EXPECT_EQ(runs[0].delta[i], 0.0f) << "coordinate " << i;
    } else {
      moved_outside += std::memcmp(&runs[0].both[i], &runs[0].p.xy[i], 4) != 0;
      deltas += runs[0].delta[i] != 0.0f;
    }
  }
  EXPECT_EQ(moved_outside, 0u);
  EXPECT_GT(deltas, 0u);
  for (float v : runs[0].both) ASSERT_TRUE(std::isfinite(v));
}

}  // namespace
}  // namespace photomap::map
