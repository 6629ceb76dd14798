// Search latency: the §5 formula + top-100 over a synthetic 100k x 512 unit-row matrix.
// Prints JSON lines {"name","value","unit"}: median and p99 over repeats, for the CLIP path
// (one folded sgemv) and the SigLIP path (calibrated terms, one sgemm).
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <random>
#include <vector>

#include "search/search_scoring.h"

namespace {

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

void Bench(const char* name, const std::vector<float>& e, size_t n, int dim,
           const photomap::search::QueryTerms& terms,
           std::optional<photomap::search::Calibration> cal) {
  std::vector<size_t> positions(n);
  for (size_t i = 0; i < n; ++i) positions[i] = i;
  std::vector<double> ms;
  for (int rep = 0; rep < 60; ++rep) {
    auto t0 = std::chrono::steady_clock::now();
    auto scores = photomap::search::ScoreRows(e, n, dim, terms, cal);
    auto top = photomap::search::TopK(scores, 100, -1e9, positions);
    auto t1 = std::chrono::steady_clock::now();
    if (top.size() != 100) std::abort();
    if (rep >= 5) ms.push_back(std::chrono::duration<double, std::milli>(t1 - t0).count());
  }
  std::sort(ms.begin(), ms.end());
  std::printf("{\"name\":\"%s_median\",\"value\":%.3f,\"unit\":\"ms\"}\n", name, ms[ms.size() / 2]);
  std::printf("{\"name\":\"%s_p99\",\"value\":%.3f,\"unit\":\"ms\"}\n", name,
              ms[std::min(ms.size() - 1, static_cast<size_t>(ms.size() * 0.99))]);
}

}  // namespace

int main() {
  const size_t n = 100000;
  const int dim = 512;
  std::mt19937 rng(42);
  const std::vector<float> e = UnitRows(n, dim, rng);
  const std::vector<float> q = UnitRows(3, dim, rng);
  photomap::search::QueryTerms text;
  text.positive = std::vector<float>(q.begin(), q.begin() + dim);
  Bench("search_text_top100_100k_x_512", e, n, dim, text, std::nullopt);
  photomap::search::QueryTerms all = text;
  all.image = std::vector<float>(q.begin() + dim, q.begin() + 2 * dim);
  all.negative = std::vector<float>(q.begin() + 2 * dim, q.end());
  Bench("search_image_text_negative_top100_100k_x_512", e, n, dim, all, std::nullopt);
  Bench("search_siglip_calibrated_3terms_top100_100k_x_512", e, n, dim, all,
        photomap::search::Calibration{std::log(100.0), -10.0});
  return 0;
}
