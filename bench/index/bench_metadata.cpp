// bench_metadata [PHOTOS_DIR] [RUNS]: metadata extraction throughput over PHOTOS_DIR/real and
// PHOTOS_DIR/invokeai (files/s, one thread), and video still extraction and probing over
// PHOTOS_DIR/video (ms per clip, through VideoStillCache::Ensure on an empty cache). Prints the
// median of RUNS runs (default 7) as JSON lines {"name", "value", "unit"}.
#include <nlohmann/json.hpp>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <vector>

#include <unistd.h>

#include "media/metadata_extractor.h"
#include "media/video_probe.h"
#include "media/video_still_cache.h"

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

namespace {

double Median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v.empty() ? 0 : v[v.size() / 2];
}

void Emit(const std::string& name, double value, const std::string& unit) {
  std::printf("%s\n", nlohmann::json{{"name", name}, {"value", value}, {"unit", unit}}.dump().c_str());
}

std::vector<fs::path> Files(const fs::path& dir, bool videos) {
  std::vector<fs::path> out;
  for (const auto& e : fs::directory_iterator(dir)) {
    if (!e.is_regular_file()) continue;
    if (videos && e.path().filename() == "broken.mp4") continue;  // measured as a failure elsewhere
    out.push_back(e.path());
  }
  std::sort(out.begin(), out.end());
  return out;
}

double Seconds(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

// Files per second of ExtractMetadata over `files`, median of `runs` after one warm-up.
double MetadataRate(const std::vector<fs::path>& files, int runs) {
  std::vector<double> rates;
  for (int run = -1; run < runs; ++run) {
    const auto start = Clock::now();
    for (const auto& f : files) (void)photomap::media::ExtractMetadata(f);
    if (run >= 0) rates.push_back(files.size() / Seconds(start));
  }
  return Median(rates);
}

}  // namespace

int main(int argc, char** argv) {
  spdlog::set_level(spdlog::level::err);  // damaged XMP in the corpus would otherwise log per run
  const fs::path photos = argc > 1 ? fs::path(argv[1]) : fs::path(PHOTOMAP_SHARED_DIR) / "photos";
  const int runs = argc > 2 ? std::max(1, std::atoi(argv[2])) : 7;
  if (!fs::is_directory(photos / "real") || !fs::is_directory(photos / "video")) {
    std::fprintf(stderr, "bench_metadata: %s has no real/ and video/ folders\n", photos.c_str());
    return 2;
  }
  Emit("metadata_extract_real_1thread", MetadataRate(Files(photos / "real", false), runs), "files/s");
  Emit("metadata_extract_invokeai_1thread", MetadataRate(Files(photos / "invokeai", false), runs),
       "files/s");

  const std::vector<fs::path> clips = Files(photos / "video", true);
  const fs::path cache_dir = fs::temp_directory_path() / ("bench_metadata_stills_" + std::to_string(::getpid()));
  std::vector<double> still_ms, probe_ms;
  for (int run = -1; run < runs; ++run) {
    fs::remove_all(cache_dir);
    photomap::media::VideoStillCache cache({.directory = cache_dir});
    auto start = Clock::now();
    for (const auto& clip : clips) {
      if (!cache.Ensure(clip).ok()) return 1;
    }
    const double still = Seconds(start) * 1000 / clips.size();
    start = Clock::now();
    for (const auto& clip : clips) (void)photomap::media::ProbeVideo(clip);
    const double probe = Seconds(start) * 1000 / clips.size();
    if (run >= 0) {
      still_ms.push_back(still);
      probe_ms.push_back(probe);
    }
  }
  fs::remove_all(cache_dir);
  Emit("video_still_extract_store_1thread", Median(still_ms), "ms/clip");
  Emit("video_probe_1thread", Median(probe_ms), "ms/clip");
  return 0;
}
