// Album-open time: what the first request to an album of N rows pays before it can answer, and
// what every later request pays to see that nothing changed. Prints JSON lines
// {"name","value","unit"}.
//
// Usage: bench_album_open [--rows N] [--dim D] [--repeats R] [--dir DIR]
// Builds (once, in DIR, default a fresh temp folder) an index database of N rows with D-float
// unit embeddings and realistic metadata JSON (~300 bytes), published like an indexing run does,
// then measures with a cold process cache each time:
//   album_open_cold       AlbumIndexes::Get: open SQLite, read every published row, build the
//                         snapshot (embedding matrix, positional order, path map)
//   album_open_warm       Get again: the generation check only
//   album_first_search_quantize  the int8 copy the first search builds (QuantizedIndexCache)
// Medians over repeats; the OS page cache is warm (the database was just written or read).
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <random>
#include <string>
#include <vector>

#include "index/album_indexes.h"
#include "index/index_store.h"
#include "search/quantized_index_cache.h"

namespace {

using photomap::index::AlbumIndexes;
using photomap::index::ImageRecord;
using photomap::index::IndexStore;

double Seconds(std::chrono::steady_clock::time_point t0) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

double Median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v[v.size() / 2];
}

void Print(const char* name, double value, const char* unit) {
  std::printf("{\"name\": \"%s\", \"value\": %.6g, \"unit\": \"%s\"}\n", name, value, unit);
}

bool BuildDatabase(const std::string& index_path, size_t rows, int dim) {
  auto store = IndexStore::Open(photomap::index::DatabasePathForIndex(index_path));
  if (!store.ok()) {
    std::fprintf(stderr, "bench_album_open: %s\n", store.error().message.c_str());
    return false;
  }
  std::mt19937 rng(7);
  std::normal_distribution<float> normal;
  const std::string spec = "open-clip:ViT-B-32/laion2b_s34b_b79k";
  constexpr size_t kBatch = 2000;
  for (size_t b0 = 0; b0 < rows; b0 += kBatch) {
    std::vector<ImageRecord> batch;
    for (size_t i = b0; i < std::min(rows, b0 + kBatch); ++i) {
      ImageRecord r;
      r.path = "/photos/" + std::to_string(2000 + i % 25) + "/album_" + std::to_string(i / 500) +
               "/IMG_" + std::to_string(100000 + i) + ".jpg";
      r.size_bytes = 3000000 + static_cast<int64_t>(i % 1000) * 1000;
      r.mtime = 1.6e9 + static_cast<double>(i) * 37.0;
      r.sort_time = r.mtime - static_cast<double>(i % 97) * 3600.0;
      r.media_type = "image";
      r.width = 4032;
      r.height = 3024;
      r.metadata_json =
          "{\"exif\":{\"Make\":\"Google\",\"Model\":\"Pixel 7\",\"DateTimeOriginal\":\"2023:05:"
          "14 10:22:31\",\"ExposureTime\":\"1/120\",\"FNumber\":1.85,\"ISOSpeedRatings\":64,"
          "\"FocalLength\":6.81,\"LensModel\":\"Pixel 7 back camera 6.81mm f/1.85\"},\"gps\":{"
          "\"latitude\":48.8584" +
          std::to_string(i % 10) + ",\"longitude\":2.2945,\"altitude\":35.2}}";
      r.encoder_spec = spec;
      r.embedding.resize(dim);
      double norm = 0;
      for (float& v : r.embedding) {
        v = normal(rng);
        norm += static_cast<double>(v) * v;
      }
      for (float& v : r.embedding) v = static_cast<float>(v / std::sqrt(norm));
      batch.push_back(std::move(r));
    }
    if (auto st = (*store)->Stage(batch); !st.ok()) {
      std::fprintf(stderr, "bench_album_open: %s\n", st.error().message.c_str());
      return false;
    }
  }
  photomap::index::PublishPlan plan;
  plan.encoder_spec = spec;
  if (auto st = (*store)->Publish(plan); !st.ok()) {
    std::fprintf(stderr, "bench_album_open: %s\n", st.error().message.c_str());
    return false;
  }
  return true;
}

}  // namespace

int main(int argc, char** argv) {
  size_t rows = 100000;
  int dim = 512, repeats = 5;
  std::string dir;
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    if (a == "--rows" && i + 1 < argc) {
      rows = static_cast<size_t>(std::atoll(argv[++i]));
    } else if (a == "--dim" && i + 1 < argc) {
      dim = std::max(1, std::atoi(argv[++i]));
    } else if (a == "--repeats" && i + 1 < argc) {
      repeats = std::max(1, std::atoi(argv[++i]));
    } else if (a == "--dir" && i + 1 < argc) {
      dir = argv[++i];
    } else {
      std::fprintf(stderr,
                   "usage: bench_album_open [--rows N] [--dim D] [--repeats R] [--dir D]\n");
      return 2;
    }
  }
  namespace fs = std::filesystem;
  const bool temp = dir.empty();
  if (temp)
    dir = (fs::temp_directory_path() / ("bench_album_open." + std::to_string(getpid()))).string();
  fs::create_directories(dir);
  const std::string index_path = dir + "/photomap_index/embeddings.npz";
  fs::create_directories(dir + "/photomap_index");
  const std::string db = photomap::index::DatabasePathForIndex(index_path);
  if (!fs::exists(db)) {
    const auto t0 = std::chrono::steady_clock::now();
    if (!BuildDatabase(index_path, rows, dim)) return 1;
    Print("album_build_database_seconds", Seconds(t0), "s");
  }
  Print("album_database_bytes", static_cast<double>(fs::file_size(db)), "bytes");

  std::vector<double> cold, warm, quantize;
  for (int r = 0; r < repeats; ++r) {
    AlbumIndexes albums;  // a fresh process cache
    auto t0 = std::chrono::steady_clock::now();
    auto snapshot = albums.Get(index_path);
    cold.push_back(Seconds(t0));
    if (!snapshot.ok()) {
      std::fprintf(stderr, "bench_album_open: %s\n", snapshot.error().message.c_str());
      return 1;
    }
    if ((*snapshot)->size() != rows) {
      std::fprintf(stderr, "bench_album_open: %zu rows read, %zu written\n", (*snapshot)->size(),
                   rows);
      return 1;
    }
    t0 = std::chrono::steady_clock::now();
    auto again = albums.Get(index_path);
    warm.push_back(Seconds(t0));
    photomap::search::QuantizedIndexCache cache;
    t0 = std::chrono::steady_clock::now();
    auto q = cache.Get(**snapshot);
    quantize.push_back(Seconds(t0));
  }
  const std::string suffix = "_" + std::to_string(rows) + "x" + std::to_string(dim);
  Print(("album_open_cold" + suffix + "_ms").c_str(), Median(cold) * 1e3, "ms");
  Print(("album_open_warm" + suffix + "_ms").c_str(), Median(warm) * 1e3, "ms");
  Print(("album_first_search_quantize" + suffix + "_ms").c_str(), Median(quantize) * 1e3, "ms");
  if (temp) fs::remove_all(dir);
  return 0;
}
