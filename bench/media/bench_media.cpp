// Decode and thumbnail throughput, printed as JSON lines {"name","value","unit"}.
//
// Usage: bench_media [--rounds N] [--threads N] [FILE_OR_DIR...]
// Without paths it measures two sets from ../shared/photos: the 12 MP JPEG and real/*.jp*g.
// For each set, at 1 thread and at all cores (parallel across images):
//   model_decode     DecodeForModel(path, 224 or 448): shrink-on-load decode, oriented RGB8
//                    (448 = twice the model input, the accuracy setting)
//   decode_resize    the same plus a cubic resize of the short side to 224 and a centre crop,
//                    comparable with PIL's "decode + CLIP preprocess"
//   thumbnail_256    RenderThumbnailPng(size 256), PNG bytes in memory (no cache write)
// and the process's peak RSS. Medians over rounds.
#include <sys/resource.h>
#include <vips/vips.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <functional>
#include <string>
#include <thread>
#include <vector>

#include "media/decoder.h"
#include "media/media_init.h"
#include "media/thumbnail_renderer.h"
#include "media/vips_handle.h"

namespace {

using photomap::RgbImage;
namespace media = photomap::media;

void Print(const std::string& name, double value, const char* unit) {
  std::printf("{\"name\": \"%s\", \"value\": %.2f, \"unit\": \"%s\"}\n", name.c_str(), value, unit);
  std::fflush(stdout);
}

bool IsPhoto(const std::filesystem::path& p) {
  std::string ext = p.extension().string();
  std::transform(ext.begin(), ext.end(), ext.begin(), ::tolower);
  return ext == ".jpg" || ext == ".jpeg" || ext == ".png" || ext == ".webp" || ext == ".heic" ||
         ext == ".tif" || ext == ".tiff";
}

std::vector<std::string> Collect(const std::string& arg) {
  std::vector<std::string> out;
  if (std::filesystem::is_directory(arg)) {
    for (auto& e : std::filesystem::recursive_directory_iterator(arg)) {
      if (e.is_regular_file() && IsPhoto(e.path())) out.push_back(e.path().string());
    }
    std::sort(out.begin(), out.end());
  } else {
    out.push_back(arg);
  }
  return out;
}

// decode_resize: model decode, then short side -> 224 (cubic) and a 224x224 centre crop.
bool DecodeResize(const std::string& path) {
  auto img = media::DecodeForModel(path, 224);
  if (!img.ok()) return false;
  media::VipsImagePtr v(vips_image_new_from_memory(img->pixels.data(), img->pixels.size(),
                                                   img->width, img->height, 3, VIPS_FORMAT_UCHAR));
  double scale = 224.0 / std::min(img->width, img->height);
  media::VipsImagePtr r, c;
  if (vips_resize(v.get(), r.out(), scale, "kernel", VIPS_KERNEL_CUBIC, nullptr) != 0) return false;
  int left = (r->Xsize - 224) / 2, top = (r->Ysize - 224) / 2;
  if (vips_extract_area(r.get(), c.out(), std::max(left, 0), std::max(top, 0),
                        std::min(224, r->Xsize), std::min(224, r->Ysize), nullptr) != 0) {
    return false;
  }
  size_t size = 0;
  void* buf = vips_image_write_to_memory(c.get(), &size);
  g_free(buf);
  return buf != nullptr;
}

// Runs `work` over all files with `threads` workers; returns images per second.
double Throughput(const std::vector<std::string>& files, int threads,
                  const std::function<bool(const std::string&)>& work, int* failures) {
  std::atomic<size_t> next{0};
  std::atomic<int> failed{0};
  auto t0 = std::chrono::steady_clock::now();
  std::vector<std::thread> pool;
  for (int t = 0; t < threads; ++t) {
    pool.emplace_back([&] {
      for (size_t i; (i = next.fetch_add(1)) < files.size();) {
        if (!work(files[i])) ++failed;
      }
    });
  }
  for (auto& t : pool) t.join();
  double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  *failures = failed.load();
  return static_cast<double>(files.size()) / s;
}

double Median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v[v.size() / 2];
}

void RunSet(const std::string& set, std::vector<std::string> files, int rounds, int max_threads) {
  // Small sets are repeated so one round takes long enough to time.
  std::vector<std::string> work_list;
  while (work_list.size() < 24) work_list.insert(work_list.end(), files.begin(), files.end());
  media::ThumbnailParams thumb;
  const std::vector<std::pair<std::string, std::function<bool(const std::string&)>>> benches = {
      {"model_decode_224", [](const std::string& p) { return media::DecodeForModel(p, 224).ok(); }},
      {"model_decode_448", [](const std::string& p) { return media::DecodeForModel(p, 448).ok(); }},
      {"decode_resize_224", DecodeResize},
      {"thumbnail_256",
       [&](const std::string& p) { return media::RenderThumbnailPng(p, thumb).ok(); }},
  };
  std::vector<int> thread_counts = {1};
  if (max_threads > 1) thread_counts.push_back(max_threads);
  for (const auto& [name, fn] : benches) {
    for (int threads : thread_counts) {
      std::vector<double> rates;
      int failures = 0;
      for (int r = 0; r < rounds; ++r)
        rates.push_back(Throughput(work_list, threads, fn, &failures));
      if (failures > 0)
        std::fprintf(stderr, "%s/%s: %d failures\n", set.c_str(), name.c_str(), failures);
      Print(name + "_" + set + "_" + std::to_string(threads) + "thread", Median(rates), "img/s");
    }
  }
}

}  // namespace

int main(int argc, char** argv) {
  if (!media::InitMediaLibraries(argv[0]).ok()) return 1;
  int rounds = 5;
  int max_threads = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  std::vector<std::string> paths;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    if (a == "--rounds" && i + 1 < argc) {
      rounds = std::max(1, std::atoi(argv[++i]));
    } else if (a == "--threads" && i + 1 < argc) {
      max_threads = std::max(1, std::atoi(argv[++i]));
    } else {
      paths.push_back(a);
    }
  }
  if (paths.empty()) {
    std::string photos = std::string(PHOTOMAP_SHARED_DIR) + "/photos";
    RunSet("12mp", {photos + "/formats/photo_12mp_4032x3024.jpg"}, rounds, max_threads);
    std::vector<std::string> real;
    for (auto& f : Collect(photos + "/real")) {
      if (f.find(".jp") != std::string::npos) real.push_back(f);
    }
    RunSet("real", real, rounds, max_threads);
  } else {
    std::vector<std::string> files;
    for (auto& p : paths) {
      auto c = Collect(p);
      files.insert(files.end(), c.begin(), c.end());
    }
    if (files.empty()) {
      std::fprintf(stderr, "bench_media: no images found\n");
      return 1;
    }
    RunSet("custom", files, rounds, max_threads);
  }
  struct rusage ru;
  getrusage(RUSAGE_SELF, &ru);
  Print("media_peak_rss", static_cast<double>(ru.ru_maxrss) / 1024.0, "MiB");
  return 0;
}
