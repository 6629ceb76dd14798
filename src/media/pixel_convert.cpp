#include "media/pixel_convert.h"

#include <cstring>
#include <memory>

namespace photomap::media {
namespace {

Error VipsFailure(const char* what) { return Internal(std::string(what) + ": " + TakeVipsError()); }

// Gives images libvips cannot classify (MULTIBAND, FOURIER, ...) an interpretation by band count.
Result<VipsImagePtr> Reinterpret(VipsImage* in) {
  VipsImagePtr cur = VipsImagePtr::Ref(in);
  if (in->Bands > 4) {
    VipsImagePtr head;
    if (vips_extract_band(cur.get(), head.out(), 0, "n", 4, nullptr) != 0) {
      return VipsFailure("extract bands");
    }
    cur = std::move(head);
  }
  VipsInterpretation interp = cur->Bands <= 2 ? VIPS_INTERPRETATION_B_W : VIPS_INTERPRETATION_sRGB;
  VipsImagePtr out;
  if (vips_copy(cur.get(), out.out(), "interpretation", interp, nullptr) != 0) {
    return VipsFailure("reinterpret");
  }
  return out;
}

}  // namespace

Result<VipsImagePtr> ToSrgb8(VipsImage* in, bool keep_alpha, Rgb8 background) {
  VipsImagePtr cur = VipsImagePtr::Ref(in);
  VipsInterpretation interp = vips_image_guess_interpretation(in);
  bool known = interp == VIPS_INTERPRETATION_sRGB || interp == VIPS_INTERPRETATION_RGB16 ||
               interp == VIPS_INTERPRETATION_B_W || interp == VIPS_INTERPRETATION_GREY16 ||
               interp == VIPS_INTERPRETATION_CMYK || interp == VIPS_INTERPRETATION_scRGB ||
               interp == VIPS_INTERPRETATION_LAB || interp == VIPS_INTERPRETATION_XYZ ||
               interp == VIPS_INTERPRETATION_RGB;
  if (!known) {
    Result<VipsImagePtr> r = Reinterpret(in);
    if (!r.ok()) return r.error();
    cur = std::move(*r);
  }
  if (vips_image_guess_interpretation(cur.get()) != VIPS_INTERPRETATION_sRGB ||
      cur->BandFmt != VIPS_FORMAT_UCHAR) {
    VipsImagePtr srgb;
    if (vips_colourspace(cur.get(), srgb.out(), VIPS_INTERPRETATION_sRGB, nullptr) != 0) {
      return VipsFailure("convert to sRGB");
    }
    cur = std::move(srgb);
  }
  if (cur->BandFmt != VIPS_FORMAT_UCHAR) {
    VipsImagePtr u8;
    if (vips_cast_uchar(cur.get(), u8.out(), nullptr) != 0) return VipsFailure("cast to 8 bit");
    cur = std::move(u8);
  }
  if (cur->Bands > 4 || cur->Bands == 2) {  // keep RGB(A): drop unexpected extra bands
    VipsImagePtr cut;
    int n = cur->Bands == 2 ? 1 : 4;
    if (vips_extract_band(cur.get(), cut.out(), 0, "n", n, nullptr) != 0) {
      return VipsFailure("extract bands");
    }
    cur = std::move(cut);
  }
  if (cur->Bands == 1) {
    VipsImagePtr three;
    VipsImage* bands[3] = {cur.get(), cur.get(), cur.get()};
    if (vips_bandjoin(bands, three.out(), 3, nullptr) != 0) return VipsFailure("grey to RGB");
    cur = std::move(three);
  }
  if (cur->Bands == 4 && !keep_alpha) {
    VipsArrayDouble* bg = vips_array_double_newv(3, static_cast<double>(background[0]),
                                                 static_cast<double>(background[1]),
                                                 static_cast<double>(background[2]));
    VipsImagePtr flat;
    int rc = vips_flatten(cur.get(), flat.out(), "background", bg, "max_alpha", 255.0, nullptr);
    vips_area_unref(VIPS_AREA(bg));
    if (rc != 0) return VipsFailure("composite alpha");
    VipsImagePtr u8;
    if (vips_cast_uchar(flat.get(), u8.out(), nullptr) != 0) return VipsFailure("cast to 8 bit");
    cur = std::move(u8);
  }
  return cur;
}

Result<RgbImage> MaterialiseRgb(VipsImage* rgb8, const std::string& label) {
  if (rgb8->Bands != 3 || rgb8->BandFmt != VIPS_FORMAT_UCHAR) {
    return Internal(label + ": MaterialiseRgb needs 3-band 8-bit pixels");
  }
  size_t size = 0;
  std::unique_ptr<void, GFreeDeleter> buf(vips_image_write_to_memory(rgb8, &size));
  if (!buf) return Corrupt(label + ": cannot decode: " + TakeVipsError());
  RgbImage out;
  out.width = rgb8->Xsize;
  out.height = rgb8->Ysize;
  if (size != static_cast<size_t>(out.width) * out.height * 3) {
    return Internal(label + ": decoded buffer has an unexpected size");
  }
  out.pixels.resize(size);
  std::memcpy(out.pixels.data(), buf.get(), size);
  return out;
}

}  // namespace photomap::media
