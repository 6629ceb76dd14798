#include "media/exif_reader.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <exiv2/exiv2.hpp>
#include <system_error>

#include "media/exif_tag_names.h"
#include "media/exiv2_guard.h"
#include "media/utf8_text.h"

namespace photomap::media {
namespace {

// The IFDs PhotoMapAI reads, in its merge order. Maker notes and sub-IFDs are skipped: their
// thousands of vendor tags would bloat every row and PhotoMapAI does not store them either.
enum class Ifd { kIfd0, kExif, kGps, kInterop, kIfd1, kOther };

constexpr size_t kMaxListedRationals = 16;  // longer rational arrays are not kept verbatim

Ifd IfdOfGroup(const std::string& group) {
  if (group == "Image") return Ifd::kIfd0;
  if (group == "Photo") return Ifd::kExif;
  if (group == "GPSInfo") return Ifd::kGps;
  if (group == "Iop") return Ifd::kInterop;
  if (group == "Thumbnail") return Ifd::kIfd1;
  return Ifd::kOther;
}

std::string TagName(Ifd ifd, uint16_t tag) {
  if (ifd == Ifd::kGps) {
    const char* name = PillowGpsTagName(tag);
    return name ? name : "GPSTag_" + std::to_string(tag);
  }
  if (const char* name = PillowExifTagName(tag)) return name;
  switch (ifd) {
    case Ifd::kIfd0:
      return "UnknownTag_" + std::to_string(tag);
    case Ifd::kExif:
      return "Unknown_Exif_" + std::to_string(tag);
    case Ifd::kInterop:
      return "Unknown_Interop_" + std::to_string(tag);
    default:
      return "Unknown_IFD1_" + std::to_string(tag);
  }
}

std::vector<ExifRational> RationalsOf(const Exiv2::Exifdatum& datum) {
  std::vector<ExifRational> out;
  const Exiv2::Value& value = datum.value();
  if (const auto* u = dynamic_cast<const Exiv2::URationalValue*>(&value)) {
    for (const auto& r : u->value_) out.push_back({r.first, r.second});
  } else if (const auto* s = dynamic_cast<const Exiv2::RationalValue*>(&value)) {
    for (const auto& r : s->value_) out.push_back({r.first, r.second});
  }
  return out;
}

std::string RawBytes(const Exiv2::Exifdatum& datum) {
  std::string bytes(datum.size(), '\0');
  if (!bytes.empty()) datum.copy(reinterpret_cast<Exiv2::byte*>(bytes.data()), Exiv2::littleEndian);
  return bytes;
}

bool IsPrintableText(std::string_view text) {
  return std::all_of(text.begin(), text.end(), [](char c) {
    const auto u = static_cast<unsigned char>(c);
    return u >= 0x20 || c == '\t' || c == '\n' || c == '\r';
  });
}

std::string TrimTrailing(std::string text) {
  while (!text.empty() && (text.back() == '\0' || text.back() == ' ')) text.pop_back();
  return text;
}

// UNDEFINED tags become text only when they are text (ExifVersion "0232", UserComment); binary
// blobs (MakerNote, ComponentsConfiguration, SceneType...) are left out instead of being decoded
// into the garbage strings PhotoMapAI stores.
std::optional<std::string> UndefinedAsText(const std::string& name, std::string bytes) {
  if (name == "MakerNote" || name == "PrintImageMatching") return std::nullopt;
  if (name == "UserComment" && bytes.size() >= 8) {
    const std::string charset = bytes.substr(0, 8);
    std::string body = bytes.substr(8);
    if (charset.rfind("UNICODE", 0) == 0) {
      body = Utf16LeToUtf8(body);
    }
    bytes = body;
  }
  bytes = TrimTrailing(bytes.substr(0, bytes.find('\0')));
  if (bytes.empty() || !IsValidUtf8(bytes) || !IsPrintableText(bytes)) return std::nullopt;
  return bytes;
}

std::string FormatSeconds(double seconds) {
  if (seconds == std::floor(seconds)) return fmt::format("{:02d}", static_cast<int>(seconds));
  return fmt::format("{:06.3f}", seconds);
}

// Converts one datum to the scalar PhotoMapAI would store, recording exact rationals on the side.
// Returns nullopt for values PhotoMapAI drops and we do not replace (tuples, blobs).
std::optional<nlohmann::json> ConvertValue(const Exiv2::Exifdatum& datum, const std::string& name,
                                           ExifRecord& record) {
  const long count = datum.count();
  if (count <= 0) return std::nullopt;
  switch (datum.typeId()) {
    case Exiv2::asciiString: {
      std::string text = datum.toString();
      text = TrimTrailing(text.substr(0, text.find('\0')));
      return Utf8OrLatin1(text);
    }
    case Exiv2::unsignedByte:
    case Exiv2::signedByte:
      if (name.rfind("XP", 0) == 0) return Utf16LeToUtf8(RawBytes(datum));
      if (name == "GPSVersionID" && count == 4) {
        return fmt::format("{}.{}.{}.{}", datum.toLong(0), datum.toLong(1), datum.toLong(2),
                           datum.toLong(3));
      }
      if (count == 1) return static_cast<int64_t>(datum.toLong(0));
      return std::nullopt;
    case Exiv2::unsignedShort:
    case Exiv2::unsignedLong:
    case Exiv2::signedShort:
    case Exiv2::signedLong:
    case Exiv2::tiffIfd:
      if (count == 1) return static_cast<int64_t>(datum.toLong(0));
      return std::nullopt;
    case Exiv2::unsignedRational:
    case Exiv2::signedRational: {
      const std::vector<ExifRational> values = RationalsOf(datum);
      if (values.empty()) return std::nullopt;
      if (values.size() == 1) {
        record.rationals[name] = {values[0].numerator, values[0].denominator};
        const std::optional<double> v = values[0].ToDouble();
        if (!v) return std::nullopt;
        return *v;
      }
      nlohmann::json list = nlohmann::json::array();
      for (size_t i = 0; i < values.size() && i < kMaxListedRationals; ++i) {
        list.push_back({values[i].numerator, values[i].denominator});
      }
      record.rationals[name] = std::move(list);
      return std::nullopt;
    }
    case Exiv2::tiffFloat:
    case Exiv2::tiffDouble:
      if (count == 1 && std::isfinite(datum.toFloat(0)))
        return static_cast<double>(datum.toFloat(0));
      return std::nullopt;
    case Exiv2::undefined:
      return UndefinedAsText(name, RawBytes(datum));
    default:
      return std::nullopt;
  }
}

std::optional<double> DmsToDegrees(const std::vector<ExifRational>& dms) {
  if (dms.size() != 3) return std::nullopt;
  double parts[3];
  for (int i = 0; i < 3; ++i) {
    const std::optional<double> v = dms[i].ToDouble();
    if (!v) return std::nullopt;
    parts[i] = *v;
  }
  return parts[0] + parts[1] / 60.0 + parts[2] / 3600.0;
}

// Fills record.gps from the GPS datums and adds the derived keys PhotoMapAI computes.
void DecodeGps(const std::vector<const Exiv2::Exifdatum*>& gps_datums, ExifRecord& record) {
  GpsFix& gps = record.gps;
  std::vector<ExifRational> time;
  for (const Exiv2::Exifdatum* d : gps_datums) {
    switch (d->tag()) {
      case 0x01:
        gps.latitude_ref = TrimTrailing(d->toString());
        break;
      case 0x02:
        gps.latitude_dms = RationalsOf(*d);
        break;
      case 0x03:
        gps.longitude_ref = TrimTrailing(d->toString());
        break;
      case 0x04:
        gps.longitude_dms = RationalsOf(*d);
        break;
      case 0x05:
        if (d->count() >= 1) gps.altitude_ref = static_cast<int>(d->toLong(0));
        break;
      case 0x06: {
        const auto v = RationalsOf(*d);
        if (v.size() == 1) gps.altitude = v[0];
        break;
      }
      case 0x07:
        time = RationalsOf(*d);
        break;
      case 0x1D:
        gps.date_utc = TrimTrailing(d->toString());
        break;
      default:
        break;
    }
  }
  const auto signed_degrees = [&](const std::vector<ExifRational>& dms, const std::string& ref,
                                  const char* negative, const char* key) -> std::optional<double> {
    if (dms.empty() || ref.empty()) return std::nullopt;  // PhotoMapAI needs both
    std::optional<double> deg = DmsToDegrees(dms);
    if (!deg || !std::isfinite(*deg)) {
      record.warnings.push_back(fmt::format("{} is not three finite rationals; ignored", key));
      return std::nullopt;
    }
    return ref == negative ? -*deg : *deg;
  };
  gps.latitude_deg = signed_degrees(gps.latitude_dms, gps.latitude_ref, "S", "GPSLatitude");
  gps.longitude_deg = signed_degrees(gps.longitude_dms, gps.longitude_ref, "W", "GPSLongitude");
  if (gps.latitude_deg) record.tags["GPSLatitudeDecimal"] = *gps.latitude_deg;
  if (gps.longitude_deg) record.tags["GPSLongitudeDecimal"] = *gps.longitude_deg;
  if (gps.altitude) {
    if (const std::optional<double> alt = gps.altitude->ToDouble()) {
      gps.altitude_m = gps.altitude_ref == 1 ? -*alt : *alt;
    }
  }
  if (time.size() == 3) {
    const auto h = time[0].ToDouble(), m = time[1].ToDouble(), s = time[2].ToDouble();
    if (h && m && s && *h >= 0 && *h < 24 && *m >= 0 && *m < 60 && *s >= 0 && *s < 61) {
      gps.time_utc = fmt::format("{:02d}:{:02d}:{}", static_cast<int>(*h), static_cast<int>(*m),
                                 FormatSeconds(*s));
      record.tags["GPSTimeStamp"] = gps.time_utc;
    }
  }
}

std::string LangAltText(const Exiv2::Xmpdatum& datum) {
  if (const auto* alt = dynamic_cast<const Exiv2::LangAltValue*>(&datum.value())) {
    const auto it = alt->value_.find("x-default");
    if (it != alt->value_.end()) return it->second;
    if (!alt->value_.empty()) return alt->value_.begin()->second;
    return "";
  }
  return datum.toString();
}

std::vector<std::string> XmpList(const Exiv2::Xmpdatum& datum) {
  std::vector<std::string> out;
  const long n = std::min<long>(datum.count(), 256);
  for (long i = 0; i < n; ++i) out.push_back(SanitizeUtf8(datum.toString(i)));
  return out;
}

void DecodeXmp(const Exiv2::XmpData& xmp, ExifRecord& record) {
  XmpSummary& s = record.xmp;
  for (const Exiv2::Xmpdatum& d : xmp) {
    const std::string key = d.key();
    if (key == "Xmp.dc.title") {
      s.title = SanitizeUtf8(LangAltText(d));
    } else if (key == "Xmp.dc.description") {
      s.description = SanitizeUtf8(LangAltText(d));
    } else if (key == "Xmp.xmp.Rating") {
      try {
        const double r = std::stod(d.toString());
        if (std::isfinite(r) && r >= 0 && r <= 5) s.rating = r;
      } catch (const std::exception&) {
        record.warnings.push_back("XMP Rating is not a number: " + SanitizeUtf8(d.toString()));
      }
    } else if (key == "Xmp.dc.subject") {
      s.keywords = XmpList(d);
    } else if (key == "Xmp.dc.creator") {
      s.creators = XmpList(d);
    }
  }
}

void DecodeExif(const Exiv2::ExifData& exif, ExifRecord& record) {
  std::array<std::vector<const Exiv2::Exifdatum*>, 5> by_ifd;
  for (const Exiv2::Exifdatum& d : exif) {
    const Ifd ifd = IfdOfGroup(d.groupName());
    if (ifd != Ifd::kOther) by_ifd[static_cast<size_t>(ifd)].push_back(&d);
  }
  for (size_t i = 0; i < by_ifd.size(); ++i) {
    const Ifd ifd = static_cast<Ifd>(i);
    for (const Exiv2::Exifdatum* d : by_ifd[i]) {
      const std::string name = TagName(ifd, d->tag());
      if (record.tags.contains(name)) continue;  // an earlier IFD wins
      std::optional<nlohmann::json> value = ConvertValue(*d, name, record);
      if (value) record.tags[name] = std::move(*value);
    }
    if (ifd == Ifd::kGps) DecodeGps(by_ifd[i], record);
  }
}

Result<ExifRecord> ReadFromImage(Exiv2::Image& image, const std::string& label) {
  ExifRecord record;
  Exiv2LogCapture capture;
  try {
    image.readMetadata();
  } catch (const std::exception& e) {
    record.warnings.push_back(std::string("metadata is damaged: ") + e.what());
  }
  try {
    record.mime_type = image.mimeType();
    DecodeExif(image.exifData(), record);
    DecodeXmp(image.xmpData(), record);
  } catch (const std::exception& e) {
    record.warnings.push_back(std::string("metadata could not be decoded: ") + e.what());
  }
  for (const std::string& m : capture.messages()) record.warnings.push_back(SanitizeUtf8(m));
  if (!record.warnings.empty()) {
    spdlog::debug("{}: EXIF/XMP partly unreadable: {}", label, fmt::join(record.warnings, "; "));
  }
  return record;
}

}  // namespace

std::optional<double> ExifRational::ToDouble() const {
  if (denominator == 0) return std::nullopt;
  return static_cast<double>(numerator) / static_cast<double>(denominator);
}

Result<ExifRecord> ReadExif(const std::filesystem::path& path) {
  std::error_code ec;
  const auto status = std::filesystem::status(path, ec);
  if (ec || !std::filesystem::exists(status)) {
    return NotFound(path.string() + ": no such file");
  }
  if (!std::filesystem::is_regular_file(status)) {
    return Unsupported(path.string() + ": not a regular file");
  }
  const auto size = std::filesystem::file_size(path, ec);
  if (ec) return ErrnoError(path.string() + ": cannot stat", ec.value());
  if (size == 0) return Unsupported(path.string() + ": empty file, no metadata to read");
  EnsureExiv2Initialized();
  Exiv2LogCapture capture;  // keeps exiv2's open-time complaints off stderr
  try {
    auto image = Exiv2::ImageFactory::open(path.string());
    if (image.get() == nullptr) return Unsupported(path.string() + ": unknown image type");
    return ReadFromImage(*image, path.string());
  } catch (const std::exception& e) {
    return Unsupported(path.string() + ": not an image exiv2 can read (" + e.what() + ")");
  }
}

Result<ExifRecord> ReadExifFromMemory(const uint8_t* data, size_t size, const std::string& label) {
  if (data == nullptr || size == 0) return Unsupported(label + ": empty input, no metadata");
  if (size > static_cast<size_t>(std::numeric_limits<long>::max())) {
    return TooLarge(label + ": input too large");
  }
  EnsureExiv2Initialized();
  Exiv2LogCapture capture;
  try {
    auto image = Exiv2::ImageFactory::open(data, static_cast<long>(size));
    if (image.get() == nullptr) return Unsupported(label + ": unknown image type");
    return ReadFromImage(*image, label);
  } catch (const std::exception& e) {
    return Unsupported(label + ": not an image exiv2 can read (" + e.what() + ")");
  }
}

}  // namespace photomap::media
