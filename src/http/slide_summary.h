// The metadata part of a /retrieve_image SlideSummary (backend-spec §8.2, §8.5): the drawer's
// `description` HTML, `reference_images` and `video_info`, built from one index row's stored
// metadata (docs/formats.md "Per-image metadata"). Dispatches to the video, InvokeAI and EXIF
// panels as PhotoMapAI's format_metadata does. Pure (reads no file, no clock but the local time
// zone); thread-safe; total: any metadata text, however malformed, gives a description and never
// an exception.
#pragma once

#include <nlohmann/json.hpp>

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace photomap::http {

struct SlideInput {
  bool is_video = false;
  std::string_view metadata_json;  // the row's metadata as stored; anything, even not JSON
  std::optional<double> mtime;     // file mtime (epoch s), the InvokeAI panel's Date row
  std::string video_url;           // "videos/<album>/<relpath>" for videos, else ""
  // Global settings (config.yaml): an InvokeAI URL adds the InvokeAI button table to images;
  // a LocationIQ key only changes the wording of the map line (no map is drawn, §12.7).
  bool invokeai_configured = false;
  bool has_locationiq_key = false;
};

struct SlideDescription {
  std::string description;                      // HTML, valid UTF-8
  std::vector<std::string> reference_images;    // image names the InvokeAI record refers to
  nlohmann::ordered_json video_info = nullptr;  // sanitized photomap_video, null for images
};

// Returns the description for one slide:
// - video: the video panel, then an EXIF panel of any other PhotoMapAI keys, then the "Open video
//   externally" link; video_info from photomap_video; never InvokeAI buttons;
// - no metadata (empty, not an object, not JSON): "<i>No metadata available.</i>";
// - app_version / generation_mode / canvas_v2_metadata present: the InvokeAI panel;
// - otherwise the EXIF panel.
// Images other than InvokeAI records get the Send/Append table when invokeai_configured.
SlideDescription DescribeSlide(const SlideInput& input);

}  // namespace photomap::http
