#include "media/fast_loaders.h"

#include <atomic>
#include <cstdlib>
#include <cstring>
#include <vector>

#include "media/file_bytes.h"
#include "media/jpeg_eighth_decoder.h"
#include "media/png_fast_decoder.h"

namespace photomap::media {
namespace {

std::atomic<bool>& Enabled() {
  static std::atomic<bool> enabled{[] {
    const char* v = std::getenv("PHOTOMAP_FAST_DECODERS");
    return v == nullptr || std::strcmp(v, "0") != 0;
  }()};
  return enabled;
}

// Files past this size (no photo's JPEG or PNG is) are left to libvips, which streams them.
constexpr uint64_t kMaxWholeFileBytes = uint64_t{512} << 20;

// The bytes of `path`, or `bytes` when path is empty; an empty span when the file cannot be read
// whole (libvips then reports the problem).
std::span<const uint8_t> Bytes(const std::string& path, std::span<const uint8_t> bytes,
                               std::vector<uint8_t>& owned) {
  if (path.empty()) return bytes;
  Result<std::vector<uint8_t>> read = ReadWholeFile(path, kMaxWholeFileBytes);
  if (!read.ok()) return {};
  owned = std::move(*read);
  return owned;
}

// Decoded 8-bit pixels (1 or 2 bands grey, 3 or 4 sRGB) as a libvips image, upright.
VipsImagePtr Wrap(const std::vector<uint8_t>& pixels, int64_t width, int64_t height, int bands,
                  int orientation) {
  VipsImagePtr img(
      vips_image_new_from_memory_copy(pixels.data(), pixels.size(), static_cast<int>(width),
                                      static_cast<int>(height), bands, VIPS_FORMAT_UCHAR));
  if (!img) return {};
  img->Type = bands <= 2 ? VIPS_INTERPRETATION_B_W : VIPS_INTERPRETATION_sRGB;
  if (orientation == 1) return img;
  vips_image_set_int(img.get(), VIPS_META_ORIENTATION, orientation);
  VipsImagePtr upright;
  if (vips_autorot(img.get(), upright.out(), nullptr) != 0) return {};
  return upright;
}

}  // namespace

void UseFastDecoders(bool enabled) { Enabled().store(enabled, std::memory_order_relaxed); }

bool FastDecodersEnabled() { return Enabled().load(std::memory_order_relaxed); }

VipsImagePtr LoadJpegEighthScale(const std::string& path, std::span<const uint8_t> bytes,
                                 int orientation, const DecodeLimits& limits) {
  std::vector<uint8_t> owned;
  std::span<const uint8_t> file = Bytes(path, bytes, owned);
  if (file.empty()) return {};
  Result<EighthScaleJpeg> decoded = DecodeJpegEighth(file, limits.max_pixels);
  if (!decoded.ok()) return {};
  return Wrap(decoded->pixels, decoded->width, decoded->height, decoded->bands, orientation);
}

VipsImagePtr LoadPngFast(const std::string& path, std::span<const uint8_t> bytes, int shrink,
                         int orientation, const DecodeLimits& limits) {
  std::vector<uint8_t> owned;
  std::span<const uint8_t> file = Bytes(path, bytes, owned);
  if (file.empty()) return {};
  Result<PngPixels> decoded = DecodePngFast(file, shrink, limits.max_pixels);
  if (!decoded.ok()) return {};
  return Wrap(decoded->pixels, decoded->width, decoded->height, decoded->bands, orientation);
}

}  // namespace photomap::media
