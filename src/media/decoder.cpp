#include "media/decoder.h"

#include "media/image_loader.h"

namespace photomap::media {
namespace {

Result<RgbImage> Finish(Result<LoadedImage> loaded, const DecodeOptions& options,
                        const std::string& label) {
  if (!loaded.ok()) return loaded.error();
  Result<VipsImagePtr> rgb = ToSrgb8(loaded->image.get(), /*keep_alpha=*/false, options.background);
  if (!rgb.ok()) return rgb.error().WithContext(label);
  return MaterialiseRgb(rgb->get(), label);
}

}  // namespace

Result<RgbImage> DecodeImage(const std::string& path, const DecodeOptions& options) {
  return Finish(LoadImageFile(path, LoadTarget{}, options.limits), options, path);
}

Result<RgbImage> DecodeForModel(const std::string& path, int min_short_side,
                                const DecodeOptions& options) {
  LoadTarget target;
  target.min_short_side = min_short_side > 0 ? min_short_side : 0;
  return Finish(LoadImageFile(path, target, options.limits), options, path);
}

Result<RgbImage> DecodeFromMemory(std::span<const uint8_t> bytes, int min_short_side,
                                  const DecodeOptions& options) {
  LoadTarget target;
  target.min_short_side = min_short_side > 0 ? min_short_side : 0;
  Result<RgbImage> r =
      Finish(LoadImageBuffer(bytes, target, options.limits), options, "image data");
  if (r.ok()) return r;
  if (r.error().kind == ErrorKind::kTooLarge) return r;
  // Whatever the cause (not an image, a video, damaged data), the user sees one clear message.
  return InvalidInput(kQueryImageUnreadable);
}

}  // namespace photomap::media
