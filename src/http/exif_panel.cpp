#include "http/exif_panel.h"

#include <cmath>
#include <cstdint>
#include <optional>
#include <set>
#include <string_view>

#include "http/html_text.h"

namespace photomap::http {
namespace {

using nlohmann::ordered_json;

struct TagRow {
  const char* tag;
  const char* label;
};

// backend-spec §8.3, in priority order; a later tag whose label is already shown is skipped.
constexpr TagRow kRows[] = {
    {"DateTimeOriginal", "Date Taken"},
    {"DateTime", "Date/Time"},
    {"Make", "Camera Make"},
    {"Model", "Camera Model"},
    {"Software", "Software"},
    {"FNumber", "Aperture"},
    {"ExposureTime", "Shutter Speed"},
    {"ISOSpeedRatings", "ISO"},
    {"FocalLength", "Focal Length"},
    {"Flash", "Flash"},
    {"WhiteBalance", "White Balance"},
    {"Orientation", "Orientation"},
    {"ImageWidth", "Width"},
    {"ExifImageWidth", "Width"},
    {"ImageLength", "Height"},
    {"ExifImageHeight", "Height"},
    {"GPSLatitudeDecimal", "GPS Latitude"},
    {"GPSLongitudeDecimal", "GPS Longitude"},
    {"GPSAltitude", "GPS Altitude"},
    {"GPSTimeStamp", "GPS Time"},
};

std::optional<int64_t> IntegerValue(const ordered_json& v) {
  if (v.is_number_integer()) return v.get<int64_t>();
  return std::nullopt;
}

const char* FlashText(int64_t code) {
  switch (code) {
    case 0:
      return "No Flash";
    case 1:
      return "Flash Fired";
    case 5:
      return "Flash Fired, Return not detected";
    case 7:
      return "Flash Fired, Return detected";
    case 9:
      return "Flash Fired, Compulsory Flash Mode";
    case 13:
      return "Flash Fired, Compulsory Flash Mode, Return not detected";
    case 15:
      return "Flash Fired, Compulsory Flash Mode, Return detected";
    case 16:
      return "No Flash, Compulsory Flash Suppression";
    case 24:
      return "No Flash, Auto";
    case 25:
      return "Flash Fired, Auto";
    case 29:
      return "Flash Fired, Auto, Return not detected";
    case 31:
      return "Flash Fired, Auto, Return detected";
    case 32:
      return "No Flash Available";
    default:
      return nullptr;
  }
}

const char* OrientationText(int64_t code) {
  static constexpr const char* kNames[] = {"Normal",
                                           "Mirrored horizontal",
                                           "Rotated 180°",
                                           "Mirrored vertical",
                                           "Mirrored horizontal, rotated 270° CW",
                                           "Rotated 90° CW",
                                           "Mirrored horizontal, rotated 90° CW",
                                           "Rotated 270° CW"};
  return code >= 1 && code <= 8 ? kNames[code - 1] : nullptr;
}

// "1/250s" from the exact rational when the extractor kept one ([1, 250]), else Python's
// int(1/v); values >= 1 (or unusable ones) print as "<v>s".
std::string ShutterText(const ordered_json& value, const ordered_json& metadata) {
  const std::optional<double> v = FiniteNumber(value);
  if (!v || *v <= 0 || *v >= 1) return PyStr(value) + "s";
  const auto rationals = metadata.find("photomap_rationals");
  if (rationals != metadata.end() && rationals->is_object()) {
    const auto exact = rationals->find("ExposureTime");
    if (exact != rationals->end() && exact->is_array() && exact->size() == 2 &&
        (*exact)[0].is_number_integer() && (*exact)[1].is_number_integer() &&
        (*exact)[0].get<int64_t>() == 1 && (*exact)[1].get<int64_t>() > 0) {
      return "1/" + std::to_string((*exact)[1].get<int64_t>()) + "s";
    }
  }
  const double inverse = 1.0 / *v;
  if (inverse >= 9.2e18) return PyStr(value) + "s";
  return "1/" + std::to_string(static_cast<int64_t>(inverse)) + "s";
}

// The signed altitude (GPSAltitudeRef applied) when the extractor computed it, else the tag.
const ordered_json& AltitudeValue(const ordered_json& value, const ordered_json& metadata) {
  const auto gps = metadata.find("photomap_gps");
  if (gps != metadata.end() && gps->is_object()) {
    const auto signed_alt = gps->find("altitude_m");
    if (signed_alt != gps->end() && FiniteNumber(*signed_alt)) return *signed_alt;
  }
  return value;
}

// The shown text of one tag (unescaped), as PhotoMapAI's _format_field_value.
std::string FormatValue(std::string_view tag, const ordered_json& value,
                        const ordered_json& metadata) {
  if (value.is_null()) return "N/A";
  if (tag == "ExposureTime") return ShutterText(value, metadata);
  if (tag == "FNumber") return "f/" + PyStr(value);
  if (tag == "FocalLength") return PyStr(value) + "mm";
  if (tag == "GPSLatitudeDecimal" || tag == "GPSLongitudeDecimal") {
    const std::optional<double> v = FiniteNumber(value);
    return v ? FormatFixed(*v, 6) + "°" : PyStr(value);
  }
  if (tag == "GPSAltitude") return PyStr(AltitudeValue(value, metadata)) + "m";
  if (tag == "Flash") {
    const std::optional<int64_t> code = IntegerValue(value);
    const char* text = code ? FlashText(*code) : nullptr;
    return text ? text : "Flash Mode " + PyStr(value);
  }
  if (tag == "WhiteBalance") {
    const std::optional<int64_t> code = IntegerValue(value);
    if (code && *code == 0) return "Auto";
    if (code && *code == 1) return "Manual";
    return "Mode " + PyStr(value);
  }
  if (tag == "Orientation") {
    const std::optional<int64_t> code = IntegerValue(value);
    const char* text = code ? OrientationText(*code) : nullptr;
    return text ? text : PyStr(value);
  }
  if (tag == "ImageWidth" || tag == "ExifImageWidth" || tag == "ImageLength" ||
      tag == "ExifImageHeight") {
    return PyStr(value) + " pixels";
  }
  if (value.is_number_float()) return FormatFixed(value.get<double>(), 2);
  return PyStr(value);
}

std::optional<double> Coordinate(const ordered_json& metadata, const char* key, double limit) {
  const auto it = metadata.find(key);
  if (it == metadata.end()) return std::nullopt;
  const std::optional<double> v = FiniteNumber(*it);
  if (!v || std::fabs(*v) > limit) return std::nullopt;
  return v;
}

std::string GpsColumn(const ordered_json& metadata, const ExifPanelOptions& options) {
  const std::optional<double> lat = Coordinate(metadata, "GPSLatitudeDecimal", 90);
  const std::optional<double> lon = Coordinate(metadata, "GPSLongitudeDecimal", 180);
  if (!lat || !lon) return "<div class='gps-info' style='min-width:0px;'></div>";
  // Everything below is built from our own number formatting; nothing from the file is copied.
  const std::string link = GoogleMapsLink(*lat, *lon);
  const std::string place = FormatFixed(*lat, 6) + ", " + FormatFixed(*lon, 6);
  const char* why = options.has_locationiq_key ? "map previews are not supported" : "no API key";
  return "<div class='gps-info' style=\"min-width:180px; max-width:220px; margin:0; padding:0; "
         "text-align:left; vertical-align:top;\">"
         "<div style=\"font-weight: bold; margin-bottom: 4px;\">📍 Location</div>"
         "<div style=\"display: flex; flex-direction: column; align-items: flex-end; "
         "font-size: 0.98em; margin-bottom: 6px;\">"
         "<a href=\"" +
         link +
         "\" target=\"_blank\" rel=\"noopener noreferrer\" "
         "style=\"color: white; text-decoration: none; text-align: left;\">" +
         place +
         "</a></div>"
         "<div style=\"font-size:0.9em; color:#888; font-style:italic;\">Map unavailable (" +
         why + ")</div></div>";
}

}  // namespace

std::string GoogleMapsLink(double latitude, double longitude) {
  return "https://www.google.com/maps?q=" + FormatFixed(latitude, 6) + "," +
         FormatFixed(longitude, 6);
}

std::string ExifPanelHtml(const ordered_json& metadata, const ExifPanelOptions& options) {
  if (!metadata.is_object() || metadata.empty()) return "<i>No EXIF metadata available.</i>";
  std::string html =
      "<div class='exif-metadata' style=\"display: flex; align-items: flex-start; gap: 18px; "
      "margin: 0; padding: 0;\">";
  html += GpsColumn(metadata, options);
  html += "<div style='flex:1;'><table class='exif-table'>";
  std::set<std::string_view> shown_labels;
  for (const TagRow& row : kRows) {
    const auto it = metadata.find(row.tag);
    if (it == metadata.end() || shown_labels.count(row.label)) continue;
    shown_labels.insert(row.label);
    html += std::string("<tr><th>") + row.label + "</th><td>" +
            HtmlEscape(ClipText(FormatValue(row.tag, *it, metadata))) + "</td></tr>";
  }
  html += "</table></div></div>";
  return html;
}

}  // namespace photomap::http
