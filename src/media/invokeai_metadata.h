// InvokeAI generation metadata: the JSON InvokeAI 2.x–5.x writes into its PNGs, normalised into one
// version-independent structure (PhotoMapAI's InvokeMetadataView, backend-spec §8.4), and the
// InvokeAI 2.x "Dream" command string. Parsing is lenient about extra or missing fields, as
// InvokeAI's own output drifts between releases, but never guesses a value that is not there.
// Pure functions; thread-safe.
#pragma once

#include <nlohmann/json.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "media/png_text_reader.h"
#include "util/status.h"

namespace photomap::media {

struct InvokeLora {
  std::string model_name;
  std::optional<double> weight;
};

// An IP-adapter / reference image or a control layer. `weight` is a number, a string (Flux Redux
// "imageInfluence" such as "High") or null when the record has none.
struct InvokeImageAdapter {
  std::string model_name;
  std::string image_name;  // control layers built from canvas objects join names with ", "
  nlohmann::json weight;
};

struct InvokeMetadata {
  int version = 0;                // 2, 3 or 5 (PhotoMapAI's schema generations)
  bool version_inferred = false;  // true when metadata_version was absent
  std::string app_version;
  std::string generation_mode;
  std::string positive_prompt;
  std::string negative_prompt;
  std::string model_name;
  std::string model_base;  // "sd-1", "sdxl", "flux"... when given
  std::optional<int64_t> seed;
  std::optional<int64_t> steps;
  std::optional<double> cfg_scale;
  std::string scheduler;  // v2's "sampler"
  std::optional<int64_t> width;
  std::optional<int64_t> height;
  std::vector<InvokeLora> loras;
  std::vector<InvokeImageAdapter> reference_images;  // enabled ref images / IP adapters
  std::vector<InvokeImageAdapter> control_layers;    // enabled control nets / layers
  std::vector<std::string> raster_images;            // enabled canvas raster layer images
};

// The InvokeAI 2.x "Dream" chunk: `prompt -s steps -S seed -W w -H h -C cfg -A sampler`.
struct DreamCommand {
  std::string prompt;
  std::optional<int64_t> steps, seed, width, height;
  std::optional<double> cfg_scale;
  std::string sampler;
};

// Returns the schema version PhotoMapAI would pick for `raw` (§8.4 "Version selection"): 2, 3 or 5.
// Requires: raw.is_object().
int InferInvokeVersion(const nlohmann::json& raw, bool* inferred = nullptr);

// Normalises an InvokeAI metadata object.
// Returns the structure on success; Corrupt when `raw` is not a JSON object or carries none of the
// fields of any InvokeAI version (no prompt, model, seed or canvas).
Result<InvokeMetadata> ParseInvokeMetadata(const nlohmann::json& raw);

// Returns the normalised structure as JSON (the `photomap_invokeai` value, docs/formats.md).
nlohmann::json InvokeMetadataToJson(const InvokeMetadata& meta);

// Parses a Dream command string. Returns Corrupt when it holds no prompt.
Result<DreamCommand> ParseDreamCommand(std::string_view command);

// Returns the Dream command as JSON (steps, seed, width, height, cfg_scale, sampler, prompt).
nlohmann::json DreamCommandToJson(const DreamCommand& dream);

// The text chunk keys PhotoMapAI reads InvokeAI JSON from, in priority order.
inline constexpr const char* kInvokeMetadataKeys[] = {"invokeai_metadata", "Sd-metadata",
                                                      "sd-metadata"};

// The raw InvokeAI JSON of a PNG and where it came from.
struct InvokeJson {
  std::string key;      // the chunk keyword it came from
  nlohmann::json json;  // the parsed JSON object
};

// Picks the InvokeAI JSON from a PNG's text chunks the way PhotoMapAI does: the first of
// kInvokeMetadataKeys present whose text parses as a JSON object (with several chunks of one key,
// the last wins, as in Pillow's info dict). A chunk that does not parse adds a warning to
// `warnings` and the search moves on. Returns nullopt when none qualifies.
std::optional<InvokeJson> FindInvokeJson(const std::vector<PngTextChunk>& chunks,
                                         std::vector<std::string>* warnings);

}  // namespace photomap::media
