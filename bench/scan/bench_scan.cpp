// Walks a generated 100k-entry tree with one thread and with every hardware thread and prints
// files/s (medians of the repeats) as JSON lines; then the same on a 10k-entry subtree behind a
// simulated slow filesystem (+100 µs per call, as on a network share or a cold disk).
// Usage: bench_scan [entries=100000] [repeats=5]. The tree is built under /tmp and removed after.
// A real cold cache needs `echo 3 > /proc/sys/vm/drop_caches` (root, whole machine), so it is not
// measured here.
#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <string>
#include <thread>
#include <vector>

#include "scan/album_walker.h"

namespace {

using photomap::Result;
using photomap::scan::DirEntry;
using photomap::scan::FileStat;
using photomap::scan::WalkFileSystem;

constexpr auto kSimulatedLatency = std::chrono::microseconds(100);

void Print(const std::string& name, double value, const char* unit) {
  std::printf(
      "%s\n",
      nlohmann::ordered_json{{"name", name}, {"value", value}, {"unit", unit}}.dump().c_str());
  std::fflush(stdout);
}

// 100 folders of 1000 entries: 70% .jpg, 10% .png, 5% .mp4, 15% other files; one pruned folder.
void MakeTree(const std::string& root, int entries) {
  const char* suffixes[20] = {".jpg", ".jpg", ".jpg", ".jpg", ".jpg", ".jpg", ".jpg",
                              ".jpg", ".jpg", ".jpg", ".jpg", ".jpg", ".jpg", ".jpg",
                              ".png", ".png", ".mp4", ".xmp", ".txt", ".json"};
  int per_dir = 1000;
  for (int i = 0; i < entries; ++i) {
    std::string dir = root + "/y" + std::to_string(2000 + i / (per_dir * 10)) + "/d" +
                      std::to_string(i / per_dir);
    if (i % per_dir == 0) std::filesystem::create_directories(dir);
    std::string path = dir + "/IMG_" + std::to_string(i) + suffixes[i % 20];
    int fd = open(path.c_str(), O_CREAT | O_WRONLY | O_CLOEXEC, 0644);
    if (fd >= 0) close(fd);
  }
  std::filesystem::create_directories(root + "/photomap_index/thumbnails");
}

// Sleeps before each call: the walk waits on I/O with the CPU idle, the case where threads beyond
// the core count still help.
class SlowFs final : public WalkFileSystem {
 public:
  Result<std::vector<DirEntry>> ListDirectory(const std::string& dir) override {
    std::this_thread::sleep_for(kSimulatedLatency);
    return photomap::scan::PosixWalkFileSystem()->ListDirectory(dir);
  }
  Result<FileStat> Stat(const std::string& path, bool follow_symlinks) override {
    std::this_thread::sleep_for(kSimulatedLatency);
    return photomap::scan::PosixWalkFileSystem()->Stat(path, follow_symlinks);
  }
  Result<std::string> RealPath(const std::string& path) override {
    std::this_thread::sleep_for(kSimulatedLatency);
    return photomap::scan::PosixWalkFileSystem()->RealPath(path);
  }
};

double Median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v[v.size() / 2];
}

// Median files/s of `repeats` walks of `root` for each entry of `threads`. The thread counts take
// turns within each repeat, so a load change on a shared machine hits them alike. Every walk must
// find the same result; returns an empty vector (after a message) otherwise.
std::vector<double> MedianRates(const std::string& root, const std::vector<int>& threads,
                                int repeats, WalkFileSystem* fs) {
  std::vector<std::vector<double>> rates(threads.size());
  size_t checked = 0, found = 0;
  for (int r = 0; r < repeats; ++r) {
    for (size_t t = 0; t < threads.size(); ++t) {
      photomap::scan::WalkOptions options;
      options.threads = threads[t];
      options.fs = fs;
      auto t0 = std::chrono::steady_clock::now();
      auto result = photomap::scan::WalkAlbumPaths({root}, options);
      double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
      if (!result.ok()) {
        std::fprintf(stderr, "bench_scan: %s\n", result.error().message.c_str());
        return {};
      }
      if (r + t > 0 && (result->files_checked != checked || result->entries.size() != found)) {
        std::fprintf(stderr, "bench_scan: %d threads found %zu of %zu files, expected %zu of %zu\n",
                     threads[t], result->entries.size(), result->files_checked, found, checked);
        return {};
      }
      checked = result->files_checked;
      found = result->entries.size();
      rates[t].push_back(static_cast<double>(checked) / s);
    }
  }
  std::fprintf(stderr, "bench_scan: %s: %zu files checked, %zu candidates, %d repeats\n",
               root.c_str(), checked, found, repeats);
  std::vector<double> medians;
  for (auto& v : rates) medians.push_back(Median(v));
  return medians;
}

}  // namespace

int main(int argc, char** argv) {
  int entries = argc > 1 ? std::atoi(argv[1]) : 100000;
  int repeats = argc > 2 ? std::max(1, std::atoi(argv[2])) : 5;
  int all_cores = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  std::string tmpl = "/tmp/photomap_bench_scan_XXXXXX";
  std::string root = mkdtemp(tmpl.data());
  MakeTree(root, entries);

  std::vector<double> warm = MedianRates(root, {1, all_cores}, repeats, nullptr);
  SlowFs slow;
  std::vector<double> slow_rates =
      warm.empty() ? warm : MedianRates(root + "/y2000", {1, all_cores, 8}, 3, &slow);
  std::filesystem::remove_all(root);
  if (warm.empty() || slow_rates.empty()) return 1;

  Print("scan_walk_1t", warm[0], "files/s");
  Print("scan_walk_all_cores", warm[1], "files/s");
  Print("scan_walk_all_cores_threads", all_cores, "threads");
  Print("scan_walk_slow_fs_1t", slow_rates[0], "files/s");
  Print("scan_walk_slow_fs_all_cores", slow_rates[1], "files/s");
  Print("scan_walk_slow_fs_8t", slow_rates[2], "files/s");
  return 0;
}
