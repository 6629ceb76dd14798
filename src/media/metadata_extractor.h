// The per-image metadata dict stored with every indexed image (backend-spec §8.1): one call reads
// a file's InvokeAI PNG text, EXIF/GPS and XMP and returns the JSON object PhotoMapAI would store,
// under the same keys, plus photomap's own keys (all prefixed "photomap_"): exact rationals, signed
// GPS altitude, XMP, and the normalised InvokeAI record. docs/formats.md "Per-image metadata"
// documents the shape. Thread-safe; each call is independent.
#pragma once

#include <nlohmann/json.hpp>

#include <filesystem>
#include <string>
#include <vector>

#include "media/png_text_reader.h"
#include "util/status.h"

namespace photomap::media {

struct MetadataOptions {
  // Limits for the PNG text walker (chunk size, inflated size, chunk count).
  PngTextLimits png_limits;
  // Adds the photomap_* keys. Off gives exactly PhotoMapAI's keys (except its known quirks that
  // docs/formats.md lists).
  bool include_photomap_keys = true;
};

struct ExtractedMetadata {
  nlohmann::json dict = nlohmann::json::object();  // what gets stored per image
  std::vector<std::string> warnings;  // damage found (also logged); never stored in `dict`
  std::string source;                 // "invokeai_metadata", "Sd-metadata", "sd-metadata",
                                      // "exif" or "" (nothing found), as PhotoMapAI's strategies
};

// Returns the metadata of the image at `path`, sniffing the format from its content (a PNG named
// .jpg is still read as PNG). An unrecognised or damaged file gives an empty dict plus warnings.
// Errors: NotFound when the file does not exist; Io when it cannot be opened or read.
Result<ExtractedMetadata> ExtractMetadataDetailed(const std::filesystem::path& path,
                                                  const MetadataOptions& options = {});

// As ExtractMetadataDetailed, returning only the dict.
Result<nlohmann::json> ExtractMetadata(const std::filesystem::path& path,
                                       const MetadataOptions& options = {});

// Returns `dict` without photomap's own "photomap_*" keys: what to hand to code that validates
// InvokeAI's schema strictly (PhotoMapAI's v3 model forbids unknown keys).
nlohmann::json WithoutPhotomapKeys(const nlohmann::json& dict);

}  // namespace photomap::media
