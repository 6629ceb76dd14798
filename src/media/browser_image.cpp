#include "media/browser_image.h"

#include "media/image_loader.h"
#include "media/pixel_convert.h"
#include "media/vips_handle.h"
#include "scan/media_types.h"

namespace photomap::media {

bool NeedsBrowserConversion(const std::string& path) {
  std::string s = scan::LowerSuffix(path);
  return s == ".heic" || s == ".heif" || s == ".avif" || s == ".tif" || s == ".tiff" ||
         s == ".bmp" || scan::IsRawSuffix(s);
}

Result<BrowserImage> ConvertForBrowser(const std::string& path, BrowserFormat format,
                                       const DecodeLimits& limits) {
  Result<LoadedImage> loaded = LoadImageFile(path, LoadTarget{}, limits);
  if (!loaded.ok()) return loaded.error();
  bool png = format == BrowserFormat::kPng;
  Result<VipsImagePtr> rgb = ToSrgb8(loaded->image.get(), /*keep_alpha=*/png);
  if (!rgb.ok()) return rgb.error().WithContext(path);
  void* buf = nullptr;
  size_t len = 0;
  int rc = png ? vips_pngsave_buffer(rgb->get(), &buf, &len, "compression", 3, nullptr)
               : vips_jpegsave_buffer(rgb->get(), &buf, &len, "Q", 90, nullptr);
  if (rc != 0) {
    // Pixels are decoded while encoding, so damaged data surfaces here.
    return Corrupt(path + ": cannot convert for the browser: " + TakeVipsError());
  }
  BrowserImage out;
  out.bytes.assign(static_cast<const char*>(buf), len);
  g_free(buf);
  out.mime_type = png ? "image/png" : "image/jpeg";
  return out;
}

}  // namespace photomap::media
