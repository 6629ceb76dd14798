#include "model/preprocess.h"

#include <algorithm>
#include <climits>
#include <cmath>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "model/resample_bicubic.h"

namespace photomap::model {
namespace {

using nlohmann::json;

Result<int> PositiveInt(const json& j, const char* key, const std::string& where) {
  if (!j.contains(key)) return InvalidInput(where + ": missing '" + key + "'");
  const json& v = j[key];
  if (!v.is_number_integer() || v.get<int64_t>() < 1 || v.get<int64_t>() > 1 << 16) {
    return InvalidInput(where + ": '" + key + "' must be a positive integer, found " + v.dump());
  }
  return v.get<int>();
}

Status ReadTriple(const json& j, const char* key, std::array<float, 3>& out,
                  const std::string& where) {
  if (!j.contains(key) || j[key].is_null()) return Status::Ok();
  const json& v = j[key];
  if (v.is_number()) {  // a scalar applies to all channels
    out.fill(v.get<float>());
    return Status::Ok();
  }
  if (!v.is_array() || v.size() != 3 || !v[0].is_number() || !v[1].is_number() ||
      !v[2].is_number()) {
    return InvalidInput(where + ": '" + key + "' must list 3 numbers, found " + v.dump());
  }
  for (int c = 0; c < 3; ++c) out[c] = v[c].get<float>();
  return Status::Ok();
}

bool Bool(const json& j, const char* key, bool fallback) {
  return j.contains(key) && j[key].is_boolean() ? j[key].get<bool>() : fallback;
}

// "size" is {"shortest_edge": N}, {"height": H, "width": W}, or a bare int (old configs).
Status ReadSize(const json& j, PreprocessConfig& c, const std::string& where) {
  if (!j.contains("size")) return Status::Ok();
  const json& s = j["size"];
  if (s.is_number_integer()) {
    c.resize_mode = PreprocessConfig::ResizeMode::kShortestEdge;
    c.shortest_edge = s.get<int>();
    if (c.shortest_edge < 1) return InvalidInput(where + ": 'size' must be positive");
    return Status::Ok();
  }
  if (!s.is_object()) return InvalidInput(where + ": 'size' has an unknown form: " + s.dump());
  if (s.contains("shortest_edge")) {
    auto n = PositiveInt(s, "shortest_edge", where + " size");
    if (!n.ok()) return n.error();
    c.resize_mode = PreprocessConfig::ResizeMode::kShortestEdge;
    c.shortest_edge = *n;
    return Status::Ok();
  }
  auto h = PositiveInt(s, "height", where + " size");
  if (!h.ok()) return h.error();
  auto w = PositiveInt(s, "width", where + " size");
  if (!w.ok()) return w.error();
  c.resize_mode = PreprocessConfig::ResizeMode::kExact;
  c.resize_height = *h;
  c.resize_width = *w;
  return Status::Ok();
}

Status ReadCrop(const json& j, PreprocessConfig& c, const std::string& where) {
  if (!j.contains("crop_size") || j["crop_size"].is_null()) {
    if (c.do_center_crop && c.resize_mode == PreprocessConfig::ResizeMode::kShortestEdge) {
      c.crop_width = c.crop_height = c.shortest_edge;
    }
    return Status::Ok();
  }
  const json& s = j["crop_size"];
  if (s.is_number_integer()) {
    c.crop_width = c.crop_height = s.get<int>();
    if (c.crop_width < 1) return InvalidInput(where + ": 'crop_size' must be positive");
    return Status::Ok();
  }
  auto h = PositiveInt(s, "height", where + " crop_size");
  if (!h.ok()) return h.error();
  auto w = PositiveInt(s, "width", where + " crop_size");
  if (!w.ok()) return w.error();
  c.crop_height = *h;
  c.crop_width = *w;
  return Status::Ok();
}

Result<std::string> ReadText(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return NotFound(path.string() + ": cannot open");
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// torchvision: int(round(margin / 2.0)) with Python's round-half-even; slow HF: margin // 2.
int CropOffset(int margin, PreprocessConfig::CropRounding rounding) {
  if (rounding == PreprocessConfig::CropRounding::kFloor) {
    return margin >= 0 ? margin / 2 : -((-margin + 1) / 2);
  }
  return static_cast<int>(std::nearbyint(margin / 2.0));  // default FE_TONEAREST = half-even
}

}  // namespace

int PreprocessConfig::output_width() const {
  if (do_center_crop) return crop_width;
  return resize_mode == ResizeMode::kExact ? resize_width : shortest_edge;
}
int PreprocessConfig::output_height() const {
  if (do_center_crop) return crop_height;
  return resize_mode == ResizeMode::kExact ? resize_height : shortest_edge;
}

Result<PreprocessConfig> ParsePreprocessorConfig(std::string_view json_text) {
  const std::string where = "preprocessor_config.json";
  json j = json::parse(json_text, nullptr, false);
  if (j.is_discarded() || !j.is_object()) return Corrupt(where + ": not a valid JSON object");
  PreprocessConfig c;
  c.do_resize = Bool(j, "do_resize", true);
  c.do_center_crop = Bool(j, "do_center_crop", false);
  c.do_rescale = Bool(j, "do_rescale", true);
  c.do_normalize = Bool(j, "do_normalize", true);
  PHOTOMAP_RETURN_IF_ERROR(ReadSize(j, c, where));
  PHOTOMAP_RETURN_IF_ERROR(ReadCrop(j, c, where));
  if (j.contains("resample")) {
    if (!j["resample"].is_number_integer()) return InvalidInput(where + ": 'resample' not an int");
    c.resample = j["resample"].get<int>();
  }
  if (c.resample != 2 && c.resample != 3) {
    return Unsupported(where + ": resample filter " + std::to_string(c.resample) +
                       " (only 2 = bilinear and 3 = bicubic are implemented)");
  }
  if (j.contains("rescale_factor") && j["rescale_factor"].is_number()) {
    c.rescale_factor = j["rescale_factor"].get<float>();
  }
  PHOTOMAP_RETURN_IF_ERROR(ReadTriple(j, "image_mean", c.mean, where));
  PHOTOMAP_RETURN_IF_ERROR(ReadTriple(j, "image_std", c.std, where));
  for (float s : c.std) {
    if (!(s > 0.0f)) return InvalidInput(where + ": image_std entries must be positive");
  }
  return c;
}

Result<PreprocessConfig> ParseOpenClipPreprocess(std::string_view json_text) {
  const std::string where = "open_clip_config.json";
  json j = json::parse(json_text, nullptr, false);
  if (j.is_discarded() || !j.is_object()) return Corrupt(where + ": not a valid JSON object");
  PreprocessConfig c;
  int size = 224;
  if (j.contains("model_cfg") && j["model_cfg"].contains("vision_cfg")) {
    const json& v = j["model_cfg"]["vision_cfg"];
    if (v.contains("image_size")) {
      const json& s = v["image_size"];
      if (s.is_array() && !s.empty() && s[0].is_number_integer()) {
        size = s[0].get<int>();
      } else if (s.is_number_integer()) {
        size = s.get<int>();
      } else {
        return InvalidInput(where + ": vision_cfg.image_size has an unknown form");
      }
    }
  }
  if (size < 1) return InvalidInput(where + ": vision_cfg.image_size must be positive");
  c.shortest_edge = c.crop_width = c.crop_height = size;
  c.do_center_crop = true;
  if (j.contains("preprocess_cfg") && j["preprocess_cfg"].is_object()) {
    const json& p = j["preprocess_cfg"];
    PHOTOMAP_RETURN_IF_ERROR(ReadTriple(p, "mean", c.mean, where));
    PHOTOMAP_RETURN_IF_ERROR(ReadTriple(p, "std", c.std, where));
    std::string interp = p.value("interpolation", "bicubic");
    if (interp == "bilinear") {
      c.resample = 2;
    } else if (interp != "bicubic") {
      return Unsupported(where + ": interpolation '" + interp + "'");
    }
    std::string mode = p.value("resize_mode", "shortest");
    if (mode == "squash") {
      c.resize_mode = PreprocessConfig::ResizeMode::kExact;
      c.resize_width = c.resize_height = size;
      c.do_center_crop = false;
    } else if (mode != "shortest") {
      return Unsupported(where + ": resize_mode '" + mode + "'");
    }
  }
  return c;
}

Result<PreprocessConfig> LoadPreprocessConfig(const std::filesystem::path& model_dir) {
  std::error_code ec;
  auto hf = model_dir / "preprocessor_config.json";
  if (std::filesystem::is_regular_file(hf, ec)) {
    auto text = ReadText(hf);
    if (!text.ok()) return text.error();
    auto c = ParsePreprocessorConfig(*text);
    if (!c.ok()) return c.error().WithContext(model_dir.string());
    return c;
  }
  auto oc = model_dir / "open_clip_config.json";
  if (std::filesystem::is_regular_file(oc, ec)) {
    auto text = ReadText(oc);
    if (!text.ok()) return text.error();
    auto c = ParseOpenClipPreprocess(*text);
    if (!c.ok()) return c.error().WithContext(model_dir.string());
    return c;
  }
  return NotFound(model_dir.string() +
                  ": neither preprocessor_config.json nor open_clip_config.json; the model "
                  "directory is incomplete, pull it again");
}

Result<RgbImage> ResizeAndCrop(const RgbImage& image, const PreprocessConfig& config) {
  if (image.empty() || image.pixels.size() != static_cast<size_t>(image.width) * image.height * 3) {
    return InvalidInput("preprocess: image is empty or its buffer is not width*height*3 bytes");
  }
  const ResampleFilter filter =
      config.resample == 2 ? ResampleFilter::kBilinear : ResampleFilter::kBicubic;
  int64_t w = image.width, h = image.height;
  if (config.do_resize && config.resize_mode == PreprocessConfig::ResizeMode::kExact) {
    w = config.resize_width;
    h = config.resize_height;
  } else if (config.do_resize) {
    // transformers get_resize_output_image_size / torchvision Resize(int): the long side is
    // int(N * long / short), truncated.
    const int64_t n = config.shortest_edge;
    const bool wide = image.width >= image.height;
    const int64_t new_long =
        n * (wide ? image.width : image.height) / (wide ? image.height : image.width);
    w = wide ? new_long : n;
    h = wide ? n : new_long;
  }
  if (!config.do_center_crop) {
    if (w * h > (int64_t{1} << 26)) {
      return TooLarge("preprocess: resizing to " + std::to_string(w) + "x" + std::to_string(h) +
                      " without a crop; the model config asks for too many pixels");
    }
    return ResamplePil(image, static_cast<int>(w), static_cast<int>(h), filter);
  }
  // Centre crop, computing only the cropped window of the resize (bit-identical). A side smaller
  // than the crop is zero-padded, as torchvision pads.
  if (w > INT32_MAX / 4 || h > INT32_MAX / 4) {
    return TooLarge("preprocess: image aspect ratio too extreme to resize");
  }
  RgbImage out;
  out.width = config.crop_width;
  out.height = config.crop_height;
  out.pixels.assign(static_cast<size_t>(out.width) * out.height * 3, 0);
  const int top = CropOffset(static_cast<int>(h) - out.height, config.crop_rounding);
  const int left = CropOffset(static_cast<int>(w) - out.width, config.crop_rounding);
  const int x0 = std::max(0, left), x1 = std::min(static_cast<int>(w), left + out.width);
  const int y0 = std::max(0, top), y1 = std::min(static_cast<int>(h), top + out.height);
  RgbImage region = ResamplePilRegion(image, static_cast<int>(w), static_cast<int>(h), filter, x0,
                                      y0, x1 - x0, y1 - y0);
  for (int y = 0; y < region.height; ++y) {
    std::copy(
        region.row(y), region.row(y) + static_cast<size_t>(region.width) * 3,
        out.pixels.begin() + (static_cast<size_t>(y0 - top + y) * out.width + (x0 - left)) * 3);
  }
  return out;
}

Status Preprocess(const RgbImage& image, const PreprocessConfig& config, float* out_chw) {
  auto img = ResizeAndCrop(image, config);
  if (!img.ok()) return img.error();
  if (img->width != config.output_width() || img->height != config.output_height()) {
    return InvalidInput("preprocess: image is " + std::to_string(img->width) + "x" +
                        std::to_string(img->height) + " after resizing, the model needs " +
                        std::to_string(config.output_width()) + "x" +
                        std::to_string(config.output_height()) + "; enable do_resize");
  }
  const size_t plane = static_cast<size_t>(img->width) * img->height;
  for (int c = 0; c < 3; ++c) {
    const float scale = config.do_rescale ? config.rescale_factor : 1.0f;
    const float mean = config.do_normalize ? config.mean[c] : 0.0f;
    const float std_dev = config.do_normalize ? config.std[c] : 1.0f;
    float* dst = out_chw + plane * c;
    for (size_t i = 0; i < plane; ++i) {
      dst[i] = (static_cast<float>(img->pixels[i * 3 + c]) * scale - mean) / std_dev;
    }
  }
  return Status::Ok();
}

Result<std::vector<float>> Preprocess(const RgbImage& image, const PreprocessConfig& config) {
  std::vector<float> out(static_cast<size_t>(3) * config.output_width() * config.output_height());
  PHOTOMAP_RETURN_IF_ERROR(Preprocess(image, config, out.data()));
  return out;
}

}  // namespace photomap::model
