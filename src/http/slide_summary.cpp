#include "http/slide_summary.h"

#include "http/exif_panel.h"
#include "http/invoke_panel.h"
#include "http/video_panel.h"
#include "media/utf8_text.h"

namespace photomap::http {
namespace {

using nlohmann::ordered_json;

constexpr const char* kNoMetadata = "<i>No metadata available.</i>";

// The stored dict, or an empty object when the text is not a JSON object.
ordered_json ParseStored(std::string_view text) {
  ordered_json dict = ordered_json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (dict.is_discarded() || !dict.is_object()) return ordered_json::object();
  return dict;
}

// PhotoMapAI's keys only: photomap_* keys are our additions and never shown as rows.
ordered_json PhotoMapAiKeys(const ordered_json& dict) {
  ordered_json out = ordered_json::object();
  for (auto it = dict.begin(); it != dict.end(); ++it) {
    if (it.key().rfind("photomap_", 0) != 0) out[it.key()] = it.value();
  }
  return out;
}

SlideDescription Describe(const SlideInput& input) {
  SlideDescription out;
  const ordered_json stored = ParseStored(input.metadata_json);
  const ordered_json shown = PhotoMapAiKeys(stored);
  const ExifPanelOptions exif_options{input.has_locationiq_key};
  if (input.is_video) {
    out.video_info = SanitizedVideoInfo(stored);
    out.description = VideoPanelHtml(out.video_info);
    if (!shown.empty()) {
      // The EXIF panel reads photomap_gps/photomap_rationals for exact values, so it gets the
      // whole dict minus the probe facts.
      ordered_json rest = stored;
      rest.erase("photomap_video");
      out.description += ExifPanelHtml(rest, exif_options);
    }
    out.description += VideoExternalLinkHtml(input.video_url);
    return out;
  }
  if (shown.empty()) {
    out.description = kNoMetadata;
  } else if (LooksLikeInvokeMetadata(shown)) {
    InvokePanel panel = InvokePanelHtml(shown, input.mtime, input.invokeai_configured);
    out.description = std::move(panel.html);
    out.reference_images = std::move(panel.reference_images);
    return out;
  } else {
    out.description = ExifPanelHtml(stored, exif_options);
  }
  if (input.invokeai_configured) out.description += InvokeButtonsHtml(/*with_recall=*/false);
  return out;
}

}  // namespace

SlideDescription DescribeSlide(const SlideInput& input) {
  try {
    SlideDescription out = Describe(input);
    // The response is serialised strictly; the panels already sanitise values, this is the
    // backstop.
    out.description = media::SanitizeUtf8(out.description);
    for (std::string& name : out.reference_images) name = media::SanitizeUtf8(name);
    return out;
  } catch (...) {
    // Only allocation failure or a library bug can land here; the slide still renders.
    SlideDescription out;
    out.description = kNoMetadata;
    return out;
  }
}

}  // namespace photomap::http
