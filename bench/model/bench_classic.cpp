// classic:v1 throughput on the real photos of ../shared/photos/real (26 JPEGs, 384 px to
// 2560 px), printed as JSON lines {"name","value","unit"}; medians over rounds.
// Single-threaded rates are per CPU-second (img/s per core); the parallel one is wall-clock.
//   classic_descriptor        ComputeClassicDescriptor alone on prepared 128 px inputs
//   classic_preprocess_encode Preprocess(ClassicPreprocessConfig()) + ClassicEncoder, from RGB8
//   classic_end_to_end_1t     DecodeForModel(path, 128) + preprocess + encode, one thread: what
//                             one indexing decode worker does per image (img/s per core)
//   classic_end_to_end_Nt     the same, parallel across images on every core
// Usage: bench_classic [--rounds N]
#include <algorithm>
#include <atomic>
#include <cstdio>
#include <cstring>
#include <ctime>
#include <filesystem>
#include <functional>
#include <string>
#include <thread>
#include <vector>

#include "media/decoder.h"
#include "media/media_init.h"
#include "model/classic_descriptor.h"
#include "model/classic_encoder.h"
#include "model/preprocess.h"

namespace {

namespace model = photomap::model;
namespace media = photomap::media;

void Print(const std::string& name, double value, const char* unit) {
  std::printf("{\"name\": \"%s\", \"value\": %.1f, \"unit\": \"%s\"}\n", name.c_str(), value, unit);
  std::fflush(stdout);
}

double Seconds(clockid_t clock) {
  timespec ts{};
  clock_gettime(clock, &ts);
  return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) * 1e-9;
}

// Median over `rounds` of items per second of running `body` once (it handles `items` items).
// `clock`: CLOCK_PROCESS_CPUTIME_ID for single-threaded work (img/s per busy core, robust to
// other processes sharing the machine), CLOCK_MONOTONIC for the parallel run.
double MedianRate(int rounds, size_t items, clockid_t clock, const std::function<void()>& body) {
  std::vector<double> rates;
  for (int r = 0; r < rounds; ++r) {
    const double t0 = Seconds(clock);
    body();
    rates.push_back(static_cast<double>(items) / (Seconds(clock) - t0));
  }
  std::sort(rates.begin(), rates.end());
  return rates[rates.size() / 2];
}

void EncodeFile(const std::string& path, const model::ClassicEncoder& encoder) {
  auto decoded = media::DecodeForModel(path, model::kClassicInputSize);
  if (!decoded.ok()) return;
  auto pixels = model::Preprocess(*decoded, model::ClassicPreprocessConfig());
  if (pixels.ok()) (void)encoder.EncodeImages(*pixels, 1);
}

}  // namespace

int main(int argc, char** argv) {
  int rounds = 5;
  for (int i = 1; i + 1 < argc; ++i) {
    if (std::strcmp(argv[i], "--rounds") == 0) rounds = std::max(1, std::atoi(argv[i + 1]));
  }
  if (!media::InitMediaLibraries(argv[0]).ok()) return 1;
  std::vector<std::string> files;
  for (const auto& e :
       std::filesystem::directory_iterator(std::string(PHOTOMAP_SHARED_DIR) + "/photos/real")) {
    if (e.path().extension() == ".jpg" || e.path().extension() == ".jpeg") {
      files.push_back(e.path().string());
    }
  }
  std::sort(files.begin(), files.end());
  const model::ClassicEncoder encoder;
  std::vector<photomap::RgbImage> decoded;
  std::vector<std::vector<float>> prepared;
  for (const auto& f : files) {
    auto d = media::DecodeForModel(f, model::kClassicInputSize);
    if (!d.ok()) continue;
    prepared.push_back(*model::Preprocess(*d, model::ClassicPreprocessConfig()));
    decoded.push_back(std::move(d).value());
  }
  std::vector<float> out(model::kClassicDim);
  Print("classic_descriptor",
        MedianRate(rounds, prepared.size() * 20, CLOCK_PROCESS_CPUTIME_ID,
                   [&] {
                     for (int k = 0; k < 20; ++k) {
                       for (const auto& p : prepared) (void)model::ComputeClassicDescriptor(p, out);
                     }
                   }),
        "img/s");
  Print("classic_preprocess_encode",
        MedianRate(rounds, decoded.size() * 5, CLOCK_PROCESS_CPUTIME_ID,
                   [&] {
                     for (int k = 0; k < 5; ++k) {
                       for (const auto& d : decoded) {
                         auto p = model::Preprocess(d, model::ClassicPreprocessConfig());
                         (void)encoder.EncodeImages(*p, 1);
                       }
                     }
                   }),
        "img/s");
  Print("classic_end_to_end_1t",
        MedianRate(rounds, files.size(), CLOCK_PROCESS_CPUTIME_ID,
                   [&] {
                     for (const auto& f : files) EncodeFile(f, encoder);
                   }),
        "img/s");
  const unsigned threads = std::max(1u, std::thread::hardware_concurrency());
  Print("classic_end_to_end_" + std::to_string(threads) + "t",
        MedianRate(rounds, files.size() * threads, CLOCK_MONOTONIC,
                   [&] {
                     std::atomic<size_t> next{0};
                     std::vector<std::thread> pool;
                     for (unsigned t = 0; t < threads; ++t) {
                       pool.emplace_back([&] {
                         for (size_t i; (i = next.fetch_add(1)) < files.size() * threads;) {
                           EncodeFile(files[i % files.size()], encoder);
                         }
                       });
                     }
                     for (auto& t : pool) t.join();
                   }),
        "img/s");
  return 0;
}
