// Search latency: the §5 formula + top-100 over a synthetic 100k x 512 unit-row matrix.
// Prints JSON lines {"name","value","unit"}: median and p99 over repeats, for
//  - the CLIP fp32 path (one folded query, ExactDot over every row, 2 threads), and the old
//    OpenBLAS sgemv for reference;
//  - the CLIP int8-first path (QuantizedTopK: int8 scan, fp32 re-score of the candidates; the
//    same results, checked here), with the one-time cost of the int8 copy;
//  - the SigLIP path (calibrated terms, one sgemm).
#include <cblas.h>
#include <time.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <random>
#include <vector>

#include "search/parallel_chunks.h"
#include "search/quantized_top_k.h"
#include "search/search_kernels.h"
#include "search/search_scoring.h"

namespace {

using photomap::search::QueryTerms;
using photomap::search::ScoredRow;

constexpr size_t kRows = 100000;
constexpr int kDim = 512;
constexpr size_t kTop = 100;

std::vector<float> UnitRows(size_t n, int dim, std::mt19937& rng) {
  std::normal_distribution<float> normal;
  std::vector<float> m(n * dim);
  for (size_t i = 0; i < n; ++i) {
    double norm = 0;
    for (int j = 0; j < dim; ++j) norm += std::pow(m[i * dim + j] = normal(rng), 2);
    for (int j = 0; j < dim; ++j) m[i * dim + j] /= static_cast<float>(std::sqrt(norm));
  }
  return m;
}

void Print(const char* name, const char* suffix, double value, const char* unit) {
  std::printf("{\"name\":\"%s%s\",\"value\":%.3f,\"unit\":\"%s\"}\n", name, suffix, value, unit);
}

double ProcessCpuMs() {
  timespec t{};
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
  return t.tv_sec * 1e3 + t.tv_nsec / 1e6;
}

// Times `run` (60 repeats, the first 5 dropped) and prints its wall-clock median and p99, and
// the median CPU time of the process per run (all threads), which the machine's load inflates
// less.
void Time(const char* name, const std::function<std::vector<ScoredRow>()>& run) {
  std::vector<double> ms, cpu_ms;
  for (int rep = 0; rep < 60; ++rep) {
    const double c0 = ProcessCpuMs();
    auto t0 = std::chrono::steady_clock::now();
    const std::vector<ScoredRow> top = run();
    auto t1 = std::chrono::steady_clock::now();
    const double c1 = ProcessCpuMs();
    if (top.size() != kTop) std::abort();
    if (rep < 5) continue;
    ms.push_back(std::chrono::duration<double, std::milli>(t1 - t0).count());
    cpu_ms.push_back(c1 - c0);
  }
  std::sort(ms.begin(), ms.end());
  std::sort(cpu_ms.begin(), cpu_ms.end());
  Print(name, "_median", ms[ms.size() / 2], "ms");
  Print(name, "_p99", ms[std::min(ms.size() - 1, static_cast<size_t>(ms.size() * 0.99))], "ms");
  Print(name, "_cpu_median", cpu_ms[cpu_ms.size() / 2], "ms");
}

void BenchClip(const char* name, const std::vector<float>& e, const QueryTerms& terms,
               const std::vector<size_t>& positions,
               const photomap::search::QuantizedMatrix& quantized) {
  using namespace photomap::search;
  const std::string base = name;
  auto fp32 = [&] {
    return TopK(ScoreRows(e, kRows, kDim, terms, std::nullopt), kTop, -1e9, positions);
  };
  const std::vector<float> q = *FoldClipQuery(terms, kDim);
  auto key = [&](size_t row) { return positions[row]; };
  size_t candidates = 0;
  int threads = kSearchThreads;
  auto int8 = [&] {
    QuantizedTopKResult r = QuantizedTopK(e, quantized, q, kTop, -1e9, key, threads);
    candidates = r.candidates;
    return std::move(r.top);
  };
  const auto want = fp32();
  const auto got = int8();
  for (size_t i = 0; i < kTop; ++i) {
    if (got[i].row != want[i].row || got[i].score != want[i].score) {
      std::fprintf(stderr, "%s: int8 path differs from fp32 at rank %zu\n", name, i);
      std::abort();
    }
  }
  Time((base + "_fp32").c_str(), fp32);
  Time((base + "_int8").c_str(), int8);
  threads = 1;
  Time((base + "_int8_1thread").c_str(), int8);
  Print(name, "_int8_candidates", static_cast<double>(candidates), "rows");
}

}  // namespace

int main() {
  using namespace photomap::search;
  std::mt19937 rng(42);
  const std::vector<float> e = UnitRows(kRows, kDim, rng);
  const std::vector<float> q = UnitRows(3, kDim, rng);
  std::vector<size_t> positions(kRows);
  for (size_t i = 0; i < kRows; ++i) positions[i] = i;
  std::printf(
      "{\"name\":\"search_kernel_level\",\"value\":%d,\"unit\":\"0 scalar 1 avx2 2 avx512\"}\n",
      static_cast<int>(ActiveKernelLevel()));

  const double c0 = ProcessCpuMs();
  const auto t0 = std::chrono::steady_clock::now();
  const QuantizedMatrix quantized = QuantizeRows(e, kRows, kDim, kSearchThreads);
  const auto t1 = std::chrono::steady_clock::now();
  const double c1 = ProcessCpuMs();
  Print("search_int8_copy_100k_x_512", "_build",
        std::chrono::duration<double, std::milli>(t1 - t0).count(), "ms");
  Print("search_int8_copy_100k_x_512", "_build_cpu", c1 - c0, "ms");
  Print("search_int8_copy_100k_x_512", "_size", quantized.size_bytes() / 1e6, "MB");

  // What the second scan thread costs: one std::thread start and join around empty work.
  std::vector<double> fork_us;
  for (int rep = 0; rep < 200; ++rep) {
    auto f0 = std::chrono::steady_clock::now();
    ForEachChunk(2, 2, [](int, size_t, size_t) {});
    auto f1 = std::chrono::steady_clock::now();
    fork_us.push_back(std::chrono::duration<double, std::micro>(f1 - f0).count());
  }
  std::sort(fork_us.begin(), fork_us.end());
  Print("search_fork_join_2_threads", "_median", fork_us[fork_us.size() / 2], "us");

  QueryTerms text;
  text.positive = std::vector<float>(q.begin(), q.begin() + kDim);
  BenchClip("search_text_top100_100k_x_512", e, text, positions, quantized);
  QueryTerms all = text;
  all.image = std::vector<float>(q.begin() + kDim, q.begin() + 2 * kDim);
  all.negative = std::vector<float>(q.begin() + 2 * kDim, q.end());
  BenchClip("search_image_text_negative_top100_100k_x_512", e, all, positions, quantized);

  // The previous fp32 path, OpenBLAS sgemv, for reference.
  Time("search_text_top100_100k_x_512_sgemv", [&] {
    std::vector<float> scores(kRows);
    cblas_sgemv(CblasRowMajor, CblasNoTrans, static_cast<int>(kRows), kDim, 1.0f, e.data(), kDim,
                text.positive->data(), 1, 0.0f, scores.data(), 1);
    return TopK(scores, kTop, -1e9, positions);
  });
  Time("search_siglip_calibrated_3terms_top100_100k_x_512", [&] {
    return TopK(ScoreRows(e, kRows, kDim, all, Calibration{std::log(100.0), -10.0}), kTop, -1e9,
                positions);
  });
  return 0;
}
