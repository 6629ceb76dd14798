#include "media/raw_decoder.h"

#include <libraw/libraw.h>

#include <algorithm>
#include <cstring>
#include <functional>
#include <memory>

#include "scan/image_header.h"

namespace photomap::media {
namespace {

// LibRaw's flip (0, 3, 5, 6) as an EXIF orientation.
int FlipToOrientation(int flip) {
  switch (flip) {
    case 3:
      return 3;
    case 5:
      return 8;
    case 6:
      return 6;
    default:
      return 1;
  }
}

Error LibRawError(const char* stage, int rc) {
  std::string msg = std::string("LibRaw ") + stage + ": " + libraw_strerror(rc);
  if (rc == LIBRAW_FILE_UNSUPPORTED) return Unsupported(msg);
  if (rc == LIBRAW_IO_ERROR) return IoError(msg);
  return Corrupt(msg);
}

Result<RawImage> Decode(LibRaw& raw, const std::function<int()>& open, int64_t min_short_side,
                        const DecodeLimits& limits) {
  int rc = open();
  if (rc != LIBRAW_SUCCESS) return LibRawError("open", rc);
  const libraw_image_sizes_t& s = raw.imgdata.sizes;
  if (int64_t{s.raw_width} * s.raw_height > limits.max_pixels) {
    return TooLarge("RAW sensor of " + std::to_string(s.raw_width) + "x" +
                    std::to_string(s.raw_height) + " exceeds the pixel limit");
  }
  RawImage out;
  bool swap = (s.flip & 4) != 0;
  out.full_width = swap ? s.height : s.width;
  out.full_height = swap ? s.width : s.height;

  if (raw.unpack_thumb() == LIBRAW_SUCCESS &&
      raw.imgdata.thumbnail.tformat == LIBRAW_THUMBNAIL_JPEG && raw.imgdata.thumbnail.thumb &&
      raw.imgdata.thumbnail.tlength > 0) {
    std::span<const uint8_t> jpeg(reinterpret_cast<const uint8_t*>(raw.imgdata.thumbnail.thumb),
                                  raw.imgdata.thumbnail.tlength);
    Result<scan::ImageHeader> h = scan::ParseImageHeader(jpeg);
    if (h.ok() && h->format == scan::ImageFormat::kJpeg &&
        std::min(h->width, h->height) >= min_short_side) {
      out.jpeg_preview.assign(reinterpret_cast<const char*>(jpeg.data()), jpeg.size());
      out.preview_orientation = FlipToOrientation(s.flip);
      return out;
    }
  }

  raw.imgdata.params.half_size = 1;
  raw.imgdata.params.use_camera_wb = 1;
  raw.imgdata.params.output_bps = 8;
  raw.imgdata.params.output_color = 1;  // sRGB
  if ((rc = raw.unpack()) != LIBRAW_SUCCESS) return LibRawError("unpack", rc);
  if ((rc = raw.dcraw_process()) != LIBRAW_SUCCESS) return LibRawError("develop", rc);
  std::unique_ptr<libraw_processed_image_t, void (*)(libraw_processed_image_t*)> img(
      raw.dcraw_make_mem_image(&rc), LibRaw::dcraw_clear_mem);
  if (!img || rc != LIBRAW_SUCCESS) return LibRawError("make image", rc);
  if (img->type != LIBRAW_IMAGE_BITMAP || img->bits != 8 ||
      (img->colors != 3 && img->colors != 1)) {
    return Unsupported("LibRaw produced an unexpected image layout");
  }
  RgbImage& rgb = out.developed;
  rgb.width = img->width;
  rgb.height = img->height;
  rgb.pixels.resize(size_t{img->width} * img->height * 3);
  const uint8_t* src = img->data;
  if (img->colors == 3) {
    std::memcpy(rgb.pixels.data(), src, rgb.pixels.size());
  } else {
    for (size_t i = 0; i < size_t{img->width} * img->height; ++i) {
      std::memset(&rgb.pixels[i * 3], src[i], 3);
    }
  }
  return out;
}

}  // namespace

Result<RawImage> DecodeRawFile(const std::string& path, int64_t min_short_side,
                               const DecodeLimits& limits) {
  try {
    auto raw = std::make_unique<LibRaw>(LIBRAW_OPTIONS_NONE);
    Result<RawImage> r = Decode(
        *raw, [&] { return raw->open_file(path.c_str()); }, min_short_side, limits);
    if (!r.ok()) return r.error().WithContext(path);
    return r;
  } catch (const std::exception& e) {
    return Corrupt(path + ": LibRaw failed: " + e.what());
  }
}

Result<RawImage> DecodeRawBuffer(std::span<const uint8_t> bytes, int64_t min_short_side,
                                 const DecodeLimits& limits) {
  try {
    auto raw = std::make_unique<LibRaw>(LIBRAW_OPTIONS_NONE);
    return Decode(
        *raw, [&] { return raw->open_buffer(const_cast<uint8_t*>(bytes.data()), bytes.size()); },
        min_short_side, limits);
  } catch (const std::exception& e) {
    return Corrupt(std::string("LibRaw failed: ") + e.what());
  }
}

}  // namespace photomap::media
