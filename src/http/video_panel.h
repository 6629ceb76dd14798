// The video panel of the slide drawer (backend-spec §9.4) and the video_info of /retrieve_image
// (§8.2 case 1), from the "photomap_video" facts our index stores for a video (docs/formats.md
// "Videos"). Unusable values become "Unknown" or are left out; every value is HTML-escaped. Pure;
// thread-safe; never throws.
#pragma once

#include <nlohmann/json.hpp>

#include <string>

namespace photomap::http {

// Returns a copy of metadata["photomap_video"] without its non-finite numbers, or null when that
// is missing or not an object.
nlohmann::ordered_json SanitizedVideoInfo(const nlohmann::ordered_json& metadata);

// Returns div.exif-metadata.video-metadata with rows Duration (m:ss or h:mm:ss), Frame Rate,
// Resolution (W × H), Codec, Container and Playback (only when not playable); with no usable row
// the table says "No video details available.". `info` may be null or any JSON value.
std::string VideoPanelHtml(const nlohmann::ordered_json& info);

// Returns Python-style "0:07" / "1:02:05" for non-negative finite seconds, else "Unknown".
std::string FormatVideoDuration(const nlohmann::ordered_json& seconds);

// Returns "30 fps" when within 0.01 of a whole number, "29.97 fps" otherwise, "Unknown" when the
// value is not a positive finite number.
std::string FormatVideoFps(const nlohmann::ordered_json& fps);

// Returns the "Open video externally" link div for `video_url` (escaped), "" for an empty URL.
std::string VideoExternalLinkHtml(const std::string& video_url);

}  // namespace photomap::http
