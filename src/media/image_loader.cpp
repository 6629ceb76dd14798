#include "media/image_loader.h"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <functional>
#include <vector>

#include "media/bmp_decoder.h"
#include "media/fast_loaders.h"
#include "media/file_bytes.h"
#include "media/media_init.h"
#include "media/raw_decoder.h"
#include "scan/media_types.h"

namespace photomap::media {
namespace {

using scan::ImageFormat;

// Where the bytes come from; a fresh VipsSource is made for every load attempt.
struct Origin {
  std::string path;                // empty for buffers
  std::span<const uint8_t> bytes;  // used when path is empty
  std::string label;               // for messages: the path, or "image data"
};

VipsSourcePtr MakeSource(const Origin& o) {
  if (!o.path.empty()) return VipsSourcePtr(vips_source_new_from_file(o.path.c_str()));
  return VipsSourcePtr(vips_source_new_from_memory(o.bytes.data(), o.bytes.size()));
}

struct LoadOptions {
  int shrink = 1;           // JPEG DCT scaling
  double webp_scale = 1.0;  // libwebp's scaled decode
  bool heif_thumbnail = false;
  bool random_access = false;
};

// One libvips load call for a sniffed format. Header only: pixels come later.
Result<VipsImagePtr> VipsLoad(const Origin& o, ImageFormat f, const LoadOptions& opt) {
  vips_error_clear();  // drop stale text (e.g. libheif's harmless seek probes) from earlier calls
  VipsSourcePtr src = MakeSource(o);
  if (!src) return IoError(o.label + ": cannot open: " + TakeVipsError());
  VipsAccess access = opt.random_access ? VIPS_ACCESS_RANDOM : VIPS_ACCESS_SEQUENTIAL;
  VipsImagePtr img;
  int rc = -1;
  switch (f) {
    case ImageFormat::kJpeg:
      rc = vips_jpegload_source(src.get(), img.out(), "shrink", opt.shrink, "access", access,
                                "fail_on", VIPS_FAIL_ON_TRUNCATED, nullptr);
      break;
    case ImageFormat::kPng:
      rc = vips_pngload_source(src.get(), img.out(), "access", access, "fail_on",
                               VIPS_FAIL_ON_TRUNCATED, nullptr);
      break;
    case ImageFormat::kWebp:
      rc = vips_webpload_source(src.get(), img.out(), "scale", opt.webp_scale, "access", access,
                                "fail_on", VIPS_FAIL_ON_TRUNCATED, nullptr);
      break;
    case ImageFormat::kGif:  // page 0 only: the first frame of an animation
      rc = vips_gifload_source(src.get(), img.out(), "access", access, "fail_on",
                               VIPS_FAIL_ON_TRUNCATED, nullptr);
      break;
    case ImageFormat::kTiff:
      rc = vips_tiffload_source(src.get(), img.out(), "access", access, "fail_on",
                                VIPS_FAIL_ON_TRUNCATED, nullptr);
      break;
    case ImageFormat::kHeif:
    case ImageFormat::kAvif:
      rc =
          vips_heifload_source(src.get(), img.out(), "thumbnail", opt.heif_thumbnail ? TRUE : FALSE,
                               "access", access, "fail_on", VIPS_FAIL_ON_TRUNCATED, nullptr);
      break;
    default:
      return Unsupported(o.label + ": no loader for " + scan::ImageFormatName(f));
  }
  if (rc != 0) {
    return Corrupt(o.label + ": cannot read " + scan::ImageFormatName(f) + ": " + TakeVipsError());
  }
  return img;
}

bool NeedsRandomAccess(int orientation) { return orientation != 1 && orientation != 2; }

// Largest JPEG DCT shrink (8, 4, 2) whose output still meets the target.
int ChooseJpegShrink(int64_t w, int64_t h, bool swap, const LoadTarget& t) {
  int64_t need_w = 0, need_h = 0;  // in displayed orientation
  if (t.fit_box > 0) {
    auto [dw, dh] = PilThumbnailSize(swap ? h : w, swap ? w : h, t.fit_box);
    need_w = dw;
    need_h = dh;
  }
  if (swap) std::swap(need_w, need_h);  // back to stored orientation
  if (t.min_short_side <= 0 && t.fit_box <= 0) return 1;
  for (int s : {8, 4, 2}) {
    int64_t sw = (w + s - 1) / s, sh = (h + s - 1) / s;
    if (std::min(sw, sh) >= t.min_short_side && sw >= need_w && sh >= need_h) return s;
  }
  return 1;
}

// Formats without DCT scaling decode through a box shrink by an integer factor (libvips'
// vips_shrink, streaming, or the PNG decoder's own), as JPEG's DCT scaling averages blocks, so
// the full-size pixels are never materialised and the final resize starts small. The model path
// takes the largest factor that keeps the short side >= the target. A thumbnail takes Pillow's
// reducing_gap = 2 rule (Image.thumbnail reduces by an integer factor while the result stays at
// least twice the thumbnail, then resamples): what PhotoMapAI's thumbnails do. 1: no shrink.
int ChoosePipelineShrink(int64_t w, int64_t h, bool swap, const LoadTarget& t) {
  if (t.fit_box > 0) {
    auto [need_w, need_h] = PilThumbnailSize(swap ? h : w, swap ? w : h, t.fit_box);
    if (swap) std::swap(need_w, need_h);
    return static_cast<int>(std::max<int64_t>(1, std::min(w / (2 * need_w), h / (2 * need_h))));
  }
  if (t.min_short_side <= 0) return 1;
  return static_cast<int>(std::max<int64_t>(1, std::min(w, h) / t.min_short_side));
}

// Wraps decoded RGB8 pixels (RAW developed, BMP) as an upright libvips image.
Result<LoadedImage> WrapRgb(const RgbImage& rgb, ImageFormat format) {
  LoadedImage out;
  out.format = format;
  out.full_width = rgb.width;
  out.full_height = rgb.height;
  out.image = VipsImagePtr(vips_image_new_from_memory_copy(
      rgb.pixels.data(), rgb.pixels.size(), rgb.width, rgb.height, 3, VIPS_FORMAT_UCHAR));
  if (!out.image) return Internal("cannot wrap decoded pixels: " + TakeVipsError());
  return out;
}

Result<LoadedImage> LoadBmp(const Origin& o, const DecodeLimits& limits) {
  if (o.path.empty()) {
    Result<RgbImage> rgb = DecodeBmp(o.bytes, limits);
    if (!rgb.ok()) return rgb.error().WithContext(o.label);
    return WrapRgb(*rgb, ImageFormat::kBmp);
  }
  Result<scan::ImageHeader> header = scan::ReadImageHeader(o.path);  // refuse bombs unread
  if (!header.ok()) return header.error();
  if (header->width * header->height > limits.max_pixels) {
    return TooLarge(o.label + ": BMP exceeds the pixel limit");
  }
  // The header passed the pixel limit; 4 bytes a pixel plus headers and palette bound the file.
  const uint64_t max_bytes = static_cast<uint64_t>(limits.max_pixels) * 4 + (uint64_t{1} << 20);
  Result<std::vector<uint8_t>> bytes = ReadWholeFile(o.path, max_bytes);
  if (!bytes.ok()) return bytes.error();
  Result<RgbImage> rgb = DecodeBmp(*bytes, limits);
  if (!rgb.ok()) return rgb.error().WithContext(o.label);
  return WrapRgb(*rgb, ImageFormat::kBmp);
}

Result<LoadedImage> LoadRaw(const Origin& o, const LoadTarget& t, const DecodeLimits& limits) {
  int64_t min_short = std::max<int64_t>(t.min_short_side, t.fit_box > 0 ? t.fit_box : 0);
  Result<RawImage> raw = o.path.empty() ? DecodeRawBuffer(o.bytes, min_short, limits)
                                        : DecodeRawFile(o.path, min_short, limits);
  if (!raw.ok()) return raw.error();
  LoadedImage out;
  out.format = ImageFormat::kRawOther;
  out.full_width = raw->full_width;
  out.full_height = raw->full_height;
  if (!raw->jpeg_preview.empty()) {
    // The preview bytes must outlive the lazily decoded image: hand a copy to libvips.
    std::string* keep = new std::string(std::move(raw->jpeg_preview));
    VipsImagePtr img;
    if (vips_jpegload_buffer(keep->data(), keep->size(), img.out(), "fail_on",
                             VIPS_FAIL_ON_TRUNCATED, nullptr) != 0) {
      delete keep;
      return Corrupt(o.label + ": cannot read the RAW preview: " + TakeVipsError());
    }
    g_signal_connect_data(img.get(), "close", G_CALLBACK(+[](VipsImage*, gpointer p) {
                            delete static_cast<std::string*>(p);
                          }),
                          keep, nullptr, static_cast<GConnectFlags>(0));
    VipsImagePtr copy;
    if (vips_copy(img.get(), copy.out(), nullptr) != 0) return Internal(TakeVipsError());
    vips_image_set_int(copy.get(), VIPS_META_ORIENTATION, raw->preview_orientation);
    VipsImagePtr upright;
    if (vips_autorot(copy.get(), upright.out(), nullptr) != 0) {
      return Corrupt(o.label + ": cannot orient the RAW preview: " + TakeVipsError());
    }
    out.image = std::move(upright);
    return out;
  }
  Result<LoadedImage> developed = WrapRgb(raw->developed, ImageFormat::kRawOther);
  if (!developed.ok()) return developed.error();
  developed->full_width = out.full_width;
  developed->full_height = out.full_height;
  return developed;
}

Result<LoadedImage> Load(const Origin& o, std::span<const uint8_t> head, const LoadTarget& t,
                         const DecodeLimits& limits) {
  if (head.empty()) return InvalidInput(o.label + ": is empty, not an image");
  ImageFormat f = scan::SniffImageFormat(head);
  bool raw_name = !o.path.empty() && scan::IsRawSuffix(scan::LowerSuffix(o.path));
  if (f == ImageFormat::kRawOther || (raw_name && f == ImageFormat::kTiff)) {
    return LoadRaw(o, t, limits);
  }
  if (f == ImageFormat::kUnknown) {
    return InvalidInput(o.label + ": not an image (the content matches no supported format)");
  }
  if (f == ImageFormat::kBmp) return LoadBmp(o, limits);
  LoadOptions opt;
  Result<VipsImagePtr> first = VipsLoad(o, f, opt);
  if (!first.ok()) return first.error();
  VipsImage* hdr = first->get();
  int64_t w = hdr->Xsize, h = hdr->Ysize;
  if (w * h > limits.max_pixels) {
    return TooLarge(o.label + ": " + std::to_string(w) + "x" + std::to_string(h) +
                    " pixels exceeds the limit of " + std::to_string(limits.max_pixels) +
                    " (decompression bomb?)");
  }
  bool heif = f == ImageFormat::kHeif || f == ImageFormat::kAvif;
  int orientation = heif ? 1 : vips_image_get_orientation(hdr);
  bool swap = orientation >= 5 && orientation <= 8;

  LoadedImage out;
  out.format = f;
  out.full_width = swap ? h : w;
  out.full_height = swap ? w : h;
  opt.random_access = NeedsRandomAccess(orientation);
  if (f == ImageFormat::kJpeg) opt.shrink = ChooseJpegShrink(w, h, swap, t);
  if (opt.shrink == 8 && FastDecodersEnabled()) {
    if (VipsImagePtr eighth = LoadJpegEighthScale(o.path, o.bytes, orientation, limits)) {
      out.image = std::move(eighth);
      return out;
    }
  }
  int pipeline_shrink = f == ImageFormat::kJpeg ? 1 : ChoosePipelineShrink(w, h, swap, t);
  if (f == ImageFormat::kPng && FastDecodersEnabled()) {
    if (VipsImagePtr png = LoadPngFast(o.path, o.bytes, pipeline_shrink, orientation, limits)) {
      out.image = std::move(png);
      return out;
    }
  }
  if (f == ImageFormat::kWebp && t.fit_box <= 0 && pipeline_shrink > 1) {
    // libwebp decodes straight to the smaller size; +0.5 px keeps its rounding above the target.
    opt.webp_scale = std::min(
        1.0, (static_cast<double>(t.min_short_side) + 0.5) / static_cast<double>(std::min(w, h)));
    pipeline_shrink = 1;
  } else if (f == ImageFormat::kWebp && t.fit_box > 0) {
    // A thumbnail: decode just above the thumbnail's size (+1 px against rounding), when that is
    // at most half the stored size.
    auto [need_w, need_h] = PilThumbnailSize(swap ? h : w, swap ? w : h, t.fit_box);
    if (swap) std::swap(need_w, need_h);
    const double scale = std::max(static_cast<double>(need_w + 1) / static_cast<double>(w),
                                  static_cast<double>(need_h + 1) / static_cast<double>(h));
    if (scale <= 0.5) opt.webp_scale = scale;
    pipeline_shrink = 1;
  }
  VipsImagePtr img = std::move(*first);
  if (heif && (t.min_short_side > 0 || t.fit_box > 0)) {
    opt.heif_thumbnail = true;
    Result<VipsImagePtr> thumb = VipsLoad(o, f, opt);
    if (thumb.ok() && (*thumb)->Xsize < w) {
      auto [need_w, need_h] =
          t.fit_box > 0 ? PilThumbnailSize(w, h, t.fit_box) : std::pair<int64_t, int64_t>{0, 0};
      int64_t tw = (*thumb)->Xsize, th = (*thumb)->Ysize;
      if (std::min(tw, th) >= t.min_short_side && tw >= need_w && th >= need_h) {
        img = std::move(*thumb);
      }
    }
  } else if (opt.shrink > 1 || opt.webp_scale < 1.0 || opt.random_access) {
    Result<VipsImagePtr> again = VipsLoad(o, f, opt);
    if (!again.ok()) return again.error();
    img = std::move(*again);
  }
  if (pipeline_shrink > 1) {
    pipeline_shrink = ChoosePipelineShrink(img->Xsize, img->Ysize, swap, t);
  }
  if (pipeline_shrink > 1) {  // sized on what was loaded (a HEIF may have given its thumbnail)
    VipsImagePtr shrunk;
    if (vips_shrink(img.get(), shrunk.out(), static_cast<double>(pipeline_shrink),
                    static_cast<double>(pipeline_shrink), nullptr) != 0) {
      return Internal(o.label + ": shrink: " + TakeVipsError());
    }
    img = std::move(shrunk);
  }
  if (heif) {  // libheif already applied irot/imir; never rotate twice
    VipsImagePtr copy;
    if (vips_copy(img.get(), copy.out(), nullptr) != 0) return Internal(TakeVipsError());
    vips_image_remove(copy.get(), VIPS_META_ORIENTATION);
    out.image = std::move(copy);
    return out;
  }
  if (orientation == 1) {
    out.image = std::move(img);
    return out;
  }
  if (vips_autorot(img.get(), out.image.out(), nullptr) != 0) {
    return Corrupt(o.label + ": cannot apply orientation: " + TakeVipsError());
  }
  return out;
}

}  // namespace

std::pair<int64_t, int64_t> PilThumbnailSize(int64_t width, int64_t height, int64_t box) {
  if (width <= 0 || height <= 0 || box <= 0)
    return {std::max<int64_t>(width, 0), std::max<int64_t>(height, 0)};
  if (box >= width && box >= height) return {width, height};
  double aspect = static_cast<double>(width) / static_cast<double>(height);
  // round_aspect: of floor/ceil, the one whose aspect error is smaller (floor on ties), >= 1.
  auto pick = [](double value, const std::function<double(double)>& err) {
    double lo = std::floor(value), hi = std::ceil(value);
    return static_cast<int64_t>(std::max(err(hi) < err(lo) ? hi : lo, 1.0));
  };
  int64_t x = box, y = box;
  if (1.0 >= aspect) {  // x / y >= aspect with x == y
    x = pick(static_cast<double>(y) * aspect,
             [&](double n) { return std::abs(aspect - n / static_cast<double>(y)); });
  } else {
    y = pick(static_cast<double>(x) / aspect, [&](double n) {
      return n == 0 ? 0.0 : std::abs(aspect - static_cast<double>(x) / n);
    });
  }
  return {x, y};
}

Result<LoadedImage> LoadImageFile(const std::string& path, const LoadTarget& target,
                                  const DecodeLimits& limits) {
  PHOTOMAP_RETURN_IF_ERROR(InitMediaLibraries(nullptr));
  int fd = open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    int err = errno;
    Error e = ErrnoError(path, err);
    if (err == ENOENT) e.kind = ErrorKind::kNotFound;
    return e;
  }
  uint8_t head[scan::kSniffBytes];
  ssize_t n = pread(fd, head, sizeof head, 0);
  close(fd);
  if (n < 0) return ErrnoError(path, errno);
  Origin o{path, {}, path};
  return Load(o, std::span<const uint8_t>(head, static_cast<size_t>(n)), target, limits);
}

Result<LoadedImage> LoadImageBuffer(std::span<const uint8_t> bytes, const LoadTarget& target,
                                    const DecodeLimits& limits) {
  PHOTOMAP_RETURN_IF_ERROR(InitMediaLibraries(nullptr));
  if (bytes.size() > limits.max_buffer_bytes) {
    return TooLarge("image data of " + std::to_string(bytes.size()) +
                    " bytes exceeds the limit of " + std::to_string(limits.max_buffer_bytes) +
                    " bytes");
  }
  Origin o{"", bytes, "image data"};
  return Load(o, bytes.subspan(0, std::min(bytes.size(), scan::kSniffBytes)), target, limits);
}

}  // namespace photomap::media
