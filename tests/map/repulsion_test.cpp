#include "map/repulsion.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstring>

#include "map/rng.h"

namespace photomap::map {
namespace {

// FastPow against std::pow over the SGD's range of squared distances: relative error <= 2e-5.
TEST(RepulsionTest, FastPowAccuracy) {
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

// The dispatched (AVX2 where available) kernel gives the scalar reference's bits exactly, on
// random batches including coincident points, skipped lanes and partial batches.
TEST(RepulsionTest, FastPathEqualsScalarReference) {
  Rng rng(17);
  const RepulsionCurve c{1.7502250f, 0.8420554f, 2.0f * 0.8420554f};
  for (int trial = 0; trial < 20000; ++trial) {
    RepulsionBatch b;
    b.count = 1 + static_cast<int>(rng.Below(8));
    const float cx = static_cast<float>(rng.Uniform(-5, 15)),
                cy = static_cast<float>(rng.Uniform(-5, 15));
    const double scale = std::pow(10.0, rng.Uniform(-4, 1));
    for (int l = 0; l < 8; ++l) {
      const bool same = rng.Below(10) == 0;
      b.ox[l] = same ? cx : static_cast<float>(cx + rng.Normal() * scale);
      b.oy[l] = same ? cy : static_cast<float>(cy + rng.Normal() * scale);
      b.use[l] = l < b.count && rng.Below(20) != 0 ? 1.0f : 0.0f;
    }
    float fx = 0.25f, fy = -0.5f, sx = 0.25f, sy = -0.5f;
    ForceScalarRepulsionForTesting(false);
    RepulsionForce(cx, cy, b, c, &fx, &fy);
    ForceScalarRepulsionForTesting(true);
    RepulsionForce(cx, cy, b, c, &sx, &sy);
    ForceScalarRepulsionForTesting(false);
    ASSERT_EQ(0, std::memcmp(&fx, &sx, sizeof(float)))
        << "trial " << trial << ": " << fx << " vs " << sx;
    ASSERT_EQ(0, std::memcmp(&fy, &sy, sizeof(float)))
        << "trial " << trial << ": " << fy << " vs " << sy;
  }
}

}  // namespace
}  // namespace photomap::map
