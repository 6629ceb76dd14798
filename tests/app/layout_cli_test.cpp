// `photomap layout`: an N x D .npy in, an N x 2 float32 .npy out; seeded and deterministic (same
// seed, same bytes); clusters of the input stay apart in the layout; malformed input is a clear
// error (on stderr) with exit code 1 and no output file.
#include <cmath>
#include <filesystem>

#include <gtest/gtest.h>

#include "http/server_process.h"
#include "map/rng.h"
#include "util/atomic_file.h"
#include "util/npy_file.h"

namespace photomap {
namespace {

using testing::ServerProcess;
using testing::TempDir;

// Three tight clusters of 30 rows on the 16-d unit sphere, rows interleaved.
std::vector<float> ThreeClusters(size_t per, size_t dim) {
  map::Rng rng(5);
  std::vector<float> x(3 * per * dim);
  for (size_t i = 0; i < 3 * per; ++i) {
    for (size_t d = 0; d < dim; ++d) {
      x[i * dim + d] = (d == i % 3 ? 1.0f : 0.0f) + 0.05f * static_cast<float>(rng.Normal());
    }
  }
  return x;
}

TEST(LayoutCliTest, WritesDeterministicLayout) {
  TempDir dir;
  const size_t per = 30, dim = 16, n = 3 * per;
  ASSERT_TRUE(WriteNpyFile(dir.Join("x.npy"), ThreeClusters(per, dim), n, dim).ok());
  auto [code, out] = ServerProcess::RunToExit(
      {"layout", "--input", dir.Join("x.npy"), "--output", dir.Join("a.npy"), "--seed", "3"}, {});
  ASSERT_EQ(code, 0) << out;
  auto [code2, out2] = ServerProcess::RunToExit(
      {"layout", "--input", dir.Join("x.npy"), "--output", dir.Join("b.npy"), "--seed", "3"}, {});
  ASSERT_EQ(code2, 0) << out2;
  EXPECT_EQ(ReadFileToString(dir.Join("a.npy")).value(),
            ReadFileToString(dir.Join("b.npy")).value());

  auto layout = ReadNpyFile(dir.Join("a.npy"));
  ASSERT_TRUE(layout.ok()) << layout.error().message;
  ASSERT_EQ(layout->rows, n);
  ASSERT_EQ(layout->cols, 2u);
  // Every point is nearer its own cluster's centre than any other cluster's.
  double cx[3] = {0, 0, 0}, cy[3] = {0, 0, 0};
  for (size_t i = 0; i < n; ++i) {
    ASSERT_TRUE(std::isfinite(layout->data[i * 2]) && std::isfinite(layout->data[i * 2 + 1]));
    cx[i % 3] += layout->data[i * 2] / per;
    cy[i % 3] += layout->data[i * 2 + 1] / per;
  }
  for (size_t i = 0; i < n; ++i) {
    size_t nearest = 0;
    double best = INFINITY;
    for (size_t c = 0; c < 3; ++c) {
      const double d = std::hypot(layout->data[i * 2] - cx[c], layout->data[i * 2 + 1] - cy[c]);
      if (d < best) best = d, nearest = c;
    }
    EXPECT_EQ(nearest, i % 3) << "row " << i;
  }
}

TEST(LayoutCliTest, RejectsBadInput) {
  TempDir dir;
  ASSERT_TRUE(AtomicWriteFile(dir.Join("bad.npy"), "not numpy").ok());
  auto [code, out] = ServerProcess::RunToExit(
      {"layout", "--input", dir.Join("bad.npy"), "--output", dir.Join("o.npy")}, {});
  EXPECT_EQ(code, 1) << out;
  EXPECT_FALSE(std::filesystem::exists(dir.Join("o.npy")));
  auto [missing, out2] = ServerProcess::RunToExit(
      {"layout", "--input", dir.Join("none.npy"), "--output", dir.Join("o.npy")}, {});
  EXPECT_EQ(missing, 1) << out2;
  EXPECT_FALSE(std::filesystem::exists(dir.Join("o.npy")));
}

}  // namespace
}  // namespace photomap
