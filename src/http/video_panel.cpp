#include "http/video_panel.h"

#include <cmath>
#include <cstdint>
#include <cstdio>
#include <optional>
#include <utility>
#include <vector>

#include "http/html_text.h"

namespace photomap::http {
namespace {

using nlohmann::ordered_json;

constexpr const char* kUnknown = "Unknown";

const ordered_json* Field(const ordered_json& info, const char* key) {
  if (!info.is_object()) return nullptr;
  const auto it = info.find(key);
  return it == info.end() ? nullptr : &*it;
}

// Python truthiness of a JSON value.
bool Truthy(const ordered_json& v) {
  if (v.is_null()) return false;
  if (v.is_boolean()) return v.get<bool>();
  if (v.is_number()) return v.get<double>() != 0;
  if (v.is_string()) return !v.get_ref<const std::string&>().empty();
  if (v.is_array() || v.is_object()) return !v.empty();
  return true;
}

// A positive pixel count, as Python's int(value or 0) > 0; nullopt when unusable.
std::optional<int64_t> Dimension(const ordered_json* v) {
  if (v == nullptr) return std::nullopt;
  const std::optional<double> d = FiniteNumber(*v);
  if (!d || *d < 1 || *d > 1e9) return std::nullopt;
  return static_cast<int64_t>(*d);
}

}  // namespace

ordered_json SanitizedVideoInfo(const ordered_json& metadata) {
  const ordered_json* raw = Field(metadata, "photomap_video");
  if (raw == nullptr || !raw->is_object()) return nullptr;
  ordered_json clean = ordered_json::object();
  for (auto it = raw->begin(); it != raw->end(); ++it) {
    if (it->is_number_float() && !std::isfinite(it->get<double>())) continue;
    clean[it.key()] = it.value();
  }
  return clean;
}

std::string FormatVideoDuration(const ordered_json& seconds) {
  const std::optional<double> v = FiniteNumber(seconds);
  if (!v || *v < 0 || *v >= 9e15) return kUnknown;
  const auto total = static_cast<int64_t>(std::nearbyint(*v));  // half-even, like round()
  const int64_t hours = total / 3600;
  const int64_t minutes = (total % 3600) / 60;
  const int64_t secs = total % 60;
  char buf[64];
  if (hours > 0) {
    std::snprintf(buf, sizeof buf, "%lld:%02lld:%02lld", static_cast<long long>(hours),
                  static_cast<long long>(minutes), static_cast<long long>(secs));
  } else {
    std::snprintf(buf, sizeof buf, "%lld:%02lld", static_cast<long long>(minutes),
                  static_cast<long long>(secs));
  }
  return buf;
}

std::string FormatVideoFps(const ordered_json& fps) {
  const std::optional<double> v = FiniteNumber(fps);
  if (!v || *v <= 0) return kUnknown;
  const double whole = std::nearbyint(*v);
  if (std::fabs(*v - whole) < 0.01) return FormatFixed(whole, 0) + " fps";
  return FormatFixed(*v, 2) + " fps";
}

std::string VideoPanelHtml(const ordered_json& info) {
  std::vector<std::pair<const char*, std::string>> rows;
  if (const ordered_json* d = Field(info, "duration"); d && !d->is_null()) {
    rows.emplace_back("Duration", FormatVideoDuration(*d));
  }
  if (const ordered_json* f = Field(info, "fps"); f && !f->is_null()) {
    rows.emplace_back("Frame Rate", FormatVideoFps(*f));
  }
  const std::optional<int64_t> w = Dimension(Field(info, "width"));
  const std::optional<int64_t> h = Dimension(Field(info, "height"));
  if (w && h) rows.emplace_back("Resolution", std::to_string(*w) + " × " + std::to_string(*h));
  if (const ordered_json* c = Field(info, "codec"); c && Truthy(*c)) {
    rows.emplace_back("Codec", PyStr(*c));
  }
  if (const ordered_json* c = Field(info, "container"); c && Truthy(*c)) {
    rows.emplace_back("Container", PyStr(*c));
  }
  if (const ordered_json* p = Field(info, "playable"); p && !p->is_null() && !Truthy(*p)) {
    rows.emplace_back("Playback", "Not supported by most browsers");
  }
  std::string html =
      "<div class='exif-metadata video-metadata'><div style=\"font-weight: bold; "
      "margin-bottom: 4px;\">🎬 Video</div><table class='exif-table'>";
  if (rows.empty()) html += "<tr><td><i>No video details available.</i></td></tr>";
  for (const auto& [label, value] : rows) {
    html +=
        std::string("<tr><th>") + label + "</th><td>" + HtmlEscape(ClipText(value)) + "</td></tr>";
  }
  return html + "</table></div>";
}

std::string VideoExternalLinkHtml(const std::string& video_url) {
  if (video_url.empty()) return "";
  return "<div class='video-external-link' style='margin-top:8px;'><a href='" +
         HtmlEscape(ClipText(video_url)) +
         "' target='_blank' rel='noopener' style='color:white;'>Open video externally</a></div>";
}

}  // namespace photomap::http
