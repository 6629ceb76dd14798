// bench_metadata [PHOTOS_DIR] [RUNS]: metadata extraction throughput over PHOTOS_DIR/real and
// PHOTOS_DIR/invokeai (files/s, one thread), and video still extraction and probing over
// PHOTOS_DIR/video (ms per clip, through VideoStillCache::Ensure on an empty cache: decode,
// convert, JPEG encode, atomic write). Prints medians of RUNS runs (default 7), per clip and the
// mean over clips, as JSON lines {"name", "value", "unit"}.
#include <spdlog/spdlog.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <filesystem>
#include <string>
#include <utility>
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
  std::printf("%s\n",
              nlohmann::json{{"name", name}, {"value", value}, {"unit", unit}}.dump().c_str());
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

// CPU seconds of the calling thread: unlike wall time, not inflated when the machine is shared.
double ThreadCpuSeconds() {
  timespec ts{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) + ts.tv_nsec * 1e-9;
}

// Files per second of ExtractMetadata over `files` (wall clock and thread CPU), median of `runs`
// after one warm-up.
std::pair<double, double> MetadataRate(const std::vector<fs::path>& files, int runs) {
  std::vector<double> wall, cpu;
  for (int run = -1; run < runs; ++run) {
    const auto start = Clock::now();
    const double cpu_start = ThreadCpuSeconds();
    for (const auto& f : files) (void)photomap::media::ExtractMetadata(f);
    if (run >= 0) {
      wall.push_back(files.size() / Seconds(start));
      cpu.push_back(files.size() / (ThreadCpuSeconds() - cpu_start));
    }
  }
  return {Median(wall), Median(cpu)};
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
  for (const char* set : {"real", "invokeai"}) {
    const auto [wall, cpu] = MetadataRate(Files(photos / set, false), runs);
    Emit(std::string("metadata_extract_") + set + "_1thread", wall, "files/s");
    Emit(std::string("metadata_extract_") + set + "_1thread_cpu", cpu, "files/cpu-s");
  }

  const std::vector<fs::path> clips = Files(photos / "video", true);
  const fs::path cache_dir =
      fs::temp_directory_path() / ("bench_metadata_stills_" + std::to_string(::getpid()));
  std::vector<std::vector<double>> still_ms(clips.size()), still_cpu_ms(clips.size()),
      probe_ms(clips.size());
  for (int run = -1; run < runs; ++run) {
    fs::remove_all(cache_dir);
    photomap::media::VideoStillCache cache({.directory = cache_dir});
    for (size_t i = 0; i < clips.size(); ++i) {
      auto start = Clock::now();
      const double cpu_start = ThreadCpuSeconds();
      if (!cache.Ensure(clips[i]).ok()) return 1;
      const double still = Seconds(start) * 1000;
      const double still_cpu = (ThreadCpuSeconds() - cpu_start) * 1000;
      start = Clock::now();
      if (!photomap::media::ProbeVideo(clips[i]).ok()) return 1;
      if (run >= 0) {
        still_ms[i].push_back(still);
        still_cpu_ms[i].push_back(still_cpu);
        probe_ms[i].push_back(Seconds(start) * 1000);
      }
    }
  }
  fs::remove_all(cache_dir);
  double still_total = 0, still_cpu_total = 0, probe_total = 0;
  for (size_t i = 0; i < clips.size(); ++i) {
    Emit("video_still_" + clips[i].filename().string(), Median(still_ms[i]), "ms");
    still_total += Median(still_ms[i]);
    still_cpu_total += Median(still_cpu_ms[i]);
    probe_total += Median(probe_ms[i]);
  }
  Emit("video_still_extract_store_1thread", still_total / clips.size(), "ms/clip");
  Emit("video_still_extract_store_1thread_cpu", still_cpu_total / clips.size(), "cpu-ms/clip");
  Emit("video_probe_1thread", probe_total / clips.size(), "ms/clip");
  return 0;
}
