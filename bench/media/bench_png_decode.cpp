// PNG decode for the model path at one thread, printed as JSON lines {"name","value","unit"}:
//   png_model_decode_vips_1t   vips_pngload + vips_shrink, materialised (image_loader.cpp's path)
//   png_model_decode_fast_1t   DecodePngFast (libdeflate, fused unfilter + box shrink)
// with the speed-up and the number of files whose two outputs differ (expected 0). The shrink is
// the model path's: the largest integer factor keeping the short side >= 224. Files are read into
// memory first, so no file I/O is timed; files the fast path leaves to libvips are counted and
// skipped. Medians over rounds.
//
// Usage: bench_png_decode [--rounds N] [PNG...]   (default: the PNGs of ../shared/photos)
#include <vips/vips.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <functional>
#include <iterator>
#include <memory>
#include <string>
#include <vector>

#include "media/media_init.h"
#include "media/png_fast_decoder.h"
#include "media/vips_handle.h"

namespace {

namespace media = photomap::media;
using Bytes = std::vector<uint8_t>;

constexpr int64_t kModelShortSide = 224;
constexpr int64_t kMaxPixels = 178'956'970;

void Print(const std::string& name, double value, const char* unit) {
  std::printf("{\"name\": \"%s\", \"value\": %.2f, \"unit\": \"%s\"}\n", name.c_str(), value, unit);
  std::fflush(stdout);
}

struct Input {
  std::string path;
  Bytes bytes;
  int shrink = 1;
};

// image_loader.cpp's libvips path; returns the shrunk pixels, empty on failure.
Bytes VipsPath(const Input& in) {
  media::VipsImagePtr img, shrunk;
  if (vips_pngload_buffer(const_cast<uint8_t*>(in.bytes.data()), in.bytes.size(), img.out(),
                          "access", VIPS_ACCESS_SEQUENTIAL, "fail_on", VIPS_FAIL_ON_TRUNCATED,
                          nullptr) != 0 ||
      vips_shrink(img.get(), shrunk.out(), in.shrink, in.shrink, nullptr) != 0) {
    return {};
  }
  size_t size = 0;
  std::unique_ptr<void, media::GFreeDeleter> buf(vips_image_write_to_memory(shrunk.get(), &size));
  if (!buf) return {};
  const uint8_t* p = static_cast<const uint8_t*>(buf.get());
  return Bytes(p, p + size);
}

Bytes FastPath(const Input& in) {
  auto r = media::DecodePngFast(in.bytes, in.shrink, kMaxPixels);
  return r.ok() ? std::move(r->pixels) : Bytes();
}

// Images per second of one pass over `inputs`, median over `rounds`.
double Throughput(const std::vector<Input>& inputs, int rounds,
                  const std::function<Bytes(const Input&)>& decode) {
  std::vector<double> rates;
  for (int r = 0; r < rounds; ++r) {
    auto t0 = std::chrono::steady_clock::now();
    for (const Input& in : inputs) decode(in);
    double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    rates.push_back(static_cast<double>(inputs.size()) / s);
  }
  std::sort(rates.begin(), rates.end());
  return rates[rates.size() / 2];
}

std::vector<std::string> DefaultFiles() {
  const std::string dir = std::string(PHOTOMAP_SHARED_DIR) + "/photos/";
  return {dir + "formats/photo.png", dir + "formats/photo_rgba.png",
          dir + "invokeai/invokeai_v2_dream_sd-metadata.png",
          dir + "invokeai/invokeai_v2_list_prompt.png", dir + "invokeai/invokeai_v3.png"};
}

}  // namespace

int main(int argc, char** argv) {
  int rounds = 3;
  std::vector<std::string> files;
  for (int i = 1; i < argc; ++i) {
    if (std::strcmp(argv[i], "--rounds") == 0 && i + 1 < argc) {
      rounds = std::max(1, std::atoi(argv[++i]));
    } else {
      files.push_back(argv[i]);
    }
  }
  if (files.empty()) files = DefaultFiles();
  if (auto s = media::InitMediaLibraries(nullptr); !s.ok()) {  // one libvips thread, no cache
    std::fprintf(stderr, "%s\n", s.error().message.c_str());
    return 1;
  }
  std::vector<Input> inputs;
  int unsupported = 0, mismatches = 0;
  for (const std::string& path : files) {
    std::ifstream f(path, std::ios::binary);
    Input in{path, Bytes((std::istreambuf_iterator<char>(f)), {}), 1};
    auto info = media::ReadPngFastInfo(in.bytes, kMaxPixels);
    if (!info.ok()) {
      std::fprintf(stderr, "%s: %s\n", path.c_str(), info.error().message.c_str());
      ++unsupported;
      continue;
    }
    in.shrink = static_cast<int>(
        std::max<int64_t>(1, std::min(info->width, info->height) / kModelShortSide));
    if (FastPath(in) != VipsPath(in)) {
      std::fprintf(stderr, "%s: outputs differ\n", path.c_str());
      ++mismatches;
    }
    inputs.push_back(std::move(in));
  }
  if (inputs.empty()) {
    std::fprintf(stderr, "no PNG the fast path decodes\n");
    return 1;
  }
  const double vips = Throughput(inputs, rounds, VipsPath);
  const double fast = Throughput(inputs, rounds, FastPath);
  Print("png_model_decode_vips_1t", vips, "img/s");
  Print("png_model_decode_fast_1t", fast, "img/s");
  Print("png_model_decode_fast_speedup", fast / vips, "x");
  Print("png_model_decode_mismatched_files", mismatches, "files");
  Print("png_model_decode_skipped_files", unsupported, "files");
  return mismatches == 0 ? 0 : 1;
}
