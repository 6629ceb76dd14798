// EXIF, GPS and XMP of one image file, read with exiv2 (JPEG, TIFF, PNG, WebP, HEIC/AVIF, DNG...).
//
// The result is a flat tag map named and typed the way PhotoMapAI stores it (Pillow's tag names,
// scalar values only), plus what PhotoMapAI drops: every rational as a float *and* its exact
// numerator/denominator, GPS altitude with its sign, and an XMP summary. Parsing is total: a
// malformed EXIF block yields whatever exiv2 could read plus warnings, never an exception, crash
// or unbounded allocation. Thread-safe: each call owns its exiv2 objects.
#pragma once

#include <nlohmann/json.hpp>

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "util/status.h"

namespace photomap::media {

// An EXIF RATIONAL or SRATIONAL, exactly as stored.
struct ExifRational {
  int64_t numerator = 0;
  int64_t denominator = 1;

  // Returns numerator/denominator, or nullopt when the denominator is 0.
  std::optional<double> ToDouble() const;
  bool operator==(const ExifRational&) const = default;
};

// The GPS IFD, decoded. Fields are empty/nullopt when the tag is absent or unusable.
struct GpsFix {
  std::optional<double> latitude_deg;       // decimal degrees, negative south of the equator
  std::optional<double> longitude_deg;      // decimal degrees, negative west of Greenwich
  std::optional<double> altitude_m;         // metres, negative below sea level (GPSAltitudeRef 1)
  std::string latitude_ref;                 // "N"/"S" as stored
  std::string longitude_ref;                // "E"/"W" as stored
  int altitude_ref = -1;                    // 0 above, 1 below sea level, -1 absent
  std::vector<ExifRational> latitude_dms;   // exact degrees, minutes, seconds
  std::vector<ExifRational> longitude_dms;  // exact degrees, minutes, seconds
  std::optional<ExifRational> altitude;     // exact, unsigned as stored
  std::string time_utc;  // GPSTimeStamp as "HH:MM:SS" (fractional seconds kept), UTC
  std::string date_utc;  // GPSDateStamp as stored, "YYYY:MM:DD"

  bool empty() const { return !latitude_deg && !longitude_deg && !altitude_m && time_utc.empty(); }
};

// The descriptive XMP fields photomap shows; everything else in the packet is ignored.
struct XmpSummary {
  std::string title;                  // dc:title (x-default, else first language)
  std::string description;            // dc:description (same rule)
  std::optional<double> rating;       // xmp:Rating (-1 rejected, 0..5 stars)
  std::vector<std::string> keywords;  // dc:subject
  std::vector<std::string> creators;  // dc:creator

  bool empty() const {
    return title.empty() && description.empty() && !rating && keywords.empty() && creators.empty();
  }
};

struct ExifRecord {
  // Pillow-named tags of IFD0, Exif, GPS, Interop and IFD1 → string | integer | float. Where two
  // IFDs carry the same name the earlier one in that order wins (see docs/formats.md).
  nlohmann::json tags = nlohmann::json::object();
  // Every rational tag by the same name → [num, den], or [[num, den], ...] for multi-valued ones.
  nlohmann::json rationals = nlohmann::json::object();
  GpsFix gps;
  XmpSummary xmp;
  std::string mime_type;              // as exiv2 identified the container, e.g. "image/jpeg"
  std::vector<std::string> warnings;  // what was wrong with the metadata; empty when clean
};

// Reads the metadata of the file at `path`.
// Returns the record (possibly empty, with warnings when the metadata is damaged) on success;
// NotFound when the file does not exist; Io when it cannot be read; Unsupported when it is empty
// or not a container exiv2 knows (text, random bytes, videos exiv2 has no reader for).
Result<ExifRecord> ReadExif(const std::filesystem::path& path);

// As ReadExif, for a file already in memory (tests, fuzzing, uploads). `data` is only read during
// the call. `label` names the source in warnings.
Result<ExifRecord> ReadExifFromMemory(const uint8_t* data, size_t size,
                                      const std::string& label = "<memory>");

}  // namespace photomap::media
