// Walks a generated 100k-entry tree and prints files/s as JSON lines.
// Usage: bench_scan [entries=100000] [repeats=5]. The tree is built under /tmp and removed after.
#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <vector>

#include "scan/album_walker.h"

namespace {

void Print(const char* name, double value, const char* unit) {
  std::printf("{\"name\": \"%s\", \"value\": %.1f, \"unit\": \"%s\"}\n", name, value, unit);
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

}  // namespace

int main(int argc, char** argv) {
  int entries = argc > 1 ? std::atoi(argv[1]) : 100000;
  int repeats = argc > 2 ? std::atoi(argv[2]) : 5;
  std::string tmpl = "/tmp/photomap_bench_scan_XXXXXX";
  std::string root = mkdtemp(tmpl.data());
  MakeTree(root, entries);
  std::vector<double> rates;
  size_t found = 0;
  for (int r = 0; r < repeats; ++r) {
    auto t0 = std::chrono::steady_clock::now();
    auto result = photomap::scan::WalkAlbumPaths({root});
    double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    if (!result.ok()) {
      std::fprintf(stderr, "bench_scan: %s\n", result.error().message.c_str());
      return 1;
    }
    found = result->entries.size();
    rates.push_back(static_cast<double>(result->files_checked) / s);
  }
  std::filesystem::remove_all(root);
  std::sort(rates.begin(), rates.end());
  std::fprintf(stderr, "bench_scan: %d entries, %zu candidates, %d repeats (warm cache)\n", entries,
               found, repeats);
  Print("scan_walk_100k_files_per_s_1thread", rates[rates.size() / 2], "files/s");
  return 0;
}
