// Image preprocessing: an RGB8 picture to the normalised CHW float tensor a vision encoder eats.
//
// What to do comes from the model's own files (preprocessor_config.json for Hugging Face repos,
// open_clip_config.json for OpenCLIP ones), never from its name. The resize is PIL's antialiased
// bicubic (resample_bicubic.h), so results match CLIPImageProcessor / SiglipImageProcessor and
// torchvision within 1/255. All functions are pure and thread-safe.
#pragma once

#include <array>
#include <filesystem>
#include <string_view>
#include <vector>

#include <cstddef>  // util/image.h uses size_t without including it

#include "util/image.h"
#include "util/status.h"

namespace photomap::model {

struct PreprocessConfig {
  enum class ResizeMode {
    kShortestEdge,  // CLIP: short side -> shortest_edge, long side int(N * long / short)
    kExact,         // SigLIP: resize to resize_width x resize_height, aspect not kept
  };
  // How a centre crop rounds an odd margin. torchvision (OpenAI clip, OpenCLIP and transformers'
  // fast processors) uses round-half-even of margin/2; transformers' slow processors floor it.
  enum class CropRounding { kTorchvision, kFloor };

  bool do_resize = true;
  ResizeMode resize_mode = ResizeMode::kShortestEdge;
  int shortest_edge = 224;  // kShortestEdge target for the short side
  int resize_width = 224;   // kExact target
  int resize_height = 224;  // kExact target
  int resample = 3;  // PIL filter id: 3 = bicubic (the only one CLIP/SigLIP use), 2 = bilinear

  bool do_center_crop = true;
  int crop_width = 224;
  int crop_height = 224;
  CropRounding crop_rounding = CropRounding::kTorchvision;

  bool do_rescale = true;
  float rescale_factor = 1.0f / 255.0f;
  bool do_normalize = true;
  std::array<float, 3> mean = {0.48145466f, 0.4578275f, 0.40821073f};  // OpenAI CLIP defaults
  std::array<float, 3> std = {0.26862954f, 0.26130258f, 0.27577711f};

  // Size of the tensor Preprocess produces.
  int output_width() const;
  int output_height() const;
};

// Parses a transformers preprocessor_config.json (CLIPImageProcessor, SiglipImageProcessor and
// their Fast variants). Returns Corrupt if the JSON is malformed, InvalidInput if a size is not a
// positive integer or mean/std do not have 3 entries, Unsupported for a resample filter other
// than bicubic or bilinear.
Result<PreprocessConfig> ParsePreprocessorConfig(std::string_view json_text);

// Parses the "preprocess_cfg" and vision image_size of an OpenCLIP open_clip_config.json
// (shortest-side resize to image_size, centre crop, its mean/std). Errors as above.
Result<PreprocessConfig> ParseOpenClipPreprocess(std::string_view json_text);

// Reads <model_dir>/preprocessor_config.json, else <model_dir>/open_clip_config.json.
// Returns NotFound naming both files when neither exists; errors above name the file.
Result<PreprocessConfig> LoadPreprocessConfig(const std::filesystem::path& model_dir);

// Resizes and centre-crops `image` as `config` says, staying in 8 bits (what PIL hands to the
// processor's rescale step). Useful on its own to compare against references.
// Returns InvalidInput for an empty image or one whose buffer size is not width*height*3.
Result<RgbImage> ResizeAndCrop(const RgbImage& image, const PreprocessConfig& config);

// Full pipeline: ResizeAndCrop, then rescale and normalise into `out_chw`, laid out [3][H][W]
// with H = config.output_height(), W = config.output_width().
// Requires: out_chw points at 3 * H * W floats. Errors as ResizeAndCrop, plus InvalidInput when
// the result is not H x W (only possible with do_resize and do_center_crop both off). A resized
// side smaller than the crop is zero-padded, as torchvision's CenterCrop does.
Status Preprocess(const RgbImage& image, const PreprocessConfig& config, float* out_chw);

// Convenience: Preprocess into a new vector of 3 * H * W floats.
Result<std::vector<float>> Preprocess(const RgbImage& image, const PreprocessConfig& config);

}  // namespace photomap::model
