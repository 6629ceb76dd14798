// The EXIF panel of the slide drawer (backend-spec §8.3): a GPS column (coordinates and a Google
// Maps link) beside a table of the camera tags PhotoMapAI shows, in its priority order and with its
// labels and value formats. Input is the per-image metadata dict our index stores
// (docs/formats.md); every value from it is HTML-escaped. Pure; thread-safe; never throws.
#pragma once

#include <nlohmann/json.hpp>

#include <string>

namespace photomap::http {

struct ExifPanelOptions {
  // Whether config.yaml holds a LocationIQ key. photomap draws no LocationIQ static map and does
  // no reverse geocoding either way (the key would have to be embedded in the HTML, §12.7); this
  // only picks the wording of the "Map unavailable" line.
  bool has_locationiq_key = false;
};

// Returns the panel for `metadata`: "<i>No EXIF metadata available.</i>" when it is empty or not
// an object; otherwise div.exif-metadata holding div.gps-info (empty unless GPSLatitudeDecimal and
// GPSLongitudeDecimal are finite numbers in range) and table.exif-table with a row per known tag
// present, first label wins.
std::string ExifPanelHtml(const nlohmann::ordered_json& metadata, const ExifPanelOptions& options);

// Returns the Google Maps link for a coordinate, built from our own formatting of the numbers:
// "https://www.google.com/maps?q=<lat>,<lon>" with 6 decimals.
std::string GoogleMapsLink(double latitude, double longitude);

}  // namespace photomap::http
