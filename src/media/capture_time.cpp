#include "media/capture_time.h"

#include <sys/stat.h>

#include <cctype>
#include <cerrno>
#include <ctime>
#include <string>

namespace photomap::media {
namespace {

struct DateFields {
  int year, month, day, hour, minute, second;
};

// Reads 1..max_digits digits (Python's strptime accepts one digit for every field except %Y).
bool ReadNumber(std::string_view& s, int min_digits, int max_digits, int& out) {
  int digits = 0;
  out = 0;
  while (digits < max_digits && !s.empty() && std::isdigit(static_cast<unsigned char>(s[0]))) {
    out = out * 10 + (s[0] - '0');
    s.remove_prefix(1);
    ++digits;
  }
  return digits >= min_digits;
}

bool Expect(std::string_view& s, char c) {
  if (s.empty() || s[0] != c) return false;
  s.remove_prefix(1);
  return true;
}

bool IsLeap(int y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

std::optional<DateFields> ParseFields(std::string_view s) {
  DateFields f{};
  if (!ReadNumber(s, 4, 4, f.year) || !Expect(s, ':') || !ReadNumber(s, 1, 2, f.month) ||
      !Expect(s, ':') || !ReadNumber(s, 1, 2, f.day)) {
    return std::nullopt;
  }
  // The format's single space matches any run of whitespace, as in strptime.
  if (s.empty() || !std::isspace(static_cast<unsigned char>(s[0]))) return std::nullopt;
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s[0]))) s.remove_prefix(1);
  if (!ReadNumber(s, 1, 2, f.hour) || !Expect(s, ':') || !ReadNumber(s, 1, 2, f.minute) ||
      !Expect(s, ':') || !ReadNumber(s, 1, 2, f.second) || !s.empty()) {
    return std::nullopt;
  }
  static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (f.year < 1 || f.month < 1 || f.month > 12 || f.day < 1 || f.hour > 23 || f.minute > 59 ||
      f.second > 59) {
    return std::nullopt;
  }
  const int month_days = kDays[f.month - 1] + (f.month == 2 && IsLeap(f.year) ? 1 : 0);
  if (f.day > month_days) return std::nullopt;
  return f;
}

std::tm ToTm(const DateFields& f) {
  std::tm tm{};
  tm.tm_year = f.year - 1900;
  tm.tm_mon = f.month - 1;
  tm.tm_mday = f.day;
  tm.tm_hour = f.hour;
  tm.tm_min = f.minute;
  tm.tm_sec = f.second;
  tm.tm_isdst = -1;
  return tm;
}

std::string StringAt(const nlohmann::json& metadata, const char* key) {
  if (!metadata.is_object()) return "";
  const auto it = metadata.find(key);
  return it != metadata.end() && it->is_string() ? it->get<std::string>() : "";
}

struct DateKey {
  const char* date;
  const char* offset;
  const char* subsec;
  CaptureTimeSource source;
};

constexpr DateKey kDateKeys[] = {
    {"DateTimeOriginal", "OffsetTimeOriginal", "SubsecTimeOriginal",
     CaptureTimeSource::kDateTimeOriginal},
    {"DateTimeDigitized", "OffsetTimeDigitized", "SubsecTimeDigitized",
     CaptureTimeSource::kDateTimeDigitized},
    {"DateTime", "OffsetTime", "SubsecTime", CaptureTimeSource::kDateTime},
};

}  // namespace

std::optional<double> ParseExifDateTimeLocal(std::string_view text) {
  const std::optional<DateFields> f = ParseFields(text);
  if (!f) return std::nullopt;
  std::tm tm = ToTm(*f);
  errno = 0;
  const std::time_t t = std::mktime(&tm);
  if (t == static_cast<std::time_t>(-1) && errno != 0) return std::nullopt;
  return static_cast<double>(t);
}

std::optional<double> ParseExifDateTimeWithOffset(std::string_view text, int offset_seconds) {
  const std::optional<DateFields> f = ParseFields(text);
  if (!f) return std::nullopt;
  std::tm tm = ToTm(*f);
  tm.tm_isdst = 0;
  const std::time_t t = timegm(&tm);
  return static_cast<double>(t) - offset_seconds;
}

std::optional<int> ParseExifOffset(std::string_view text) {
  if (text == "Z") return 0;
  if (text.size() != 6 || (text[0] != '+' && text[0] != '-') || text[3] != ':') {
    return std::nullopt;
  }
  for (size_t i : {1, 2, 4, 5}) {
    if (!std::isdigit(static_cast<unsigned char>(text[i]))) return std::nullopt;
  }
  const int hours = (text[1] - '0') * 10 + (text[2] - '0');
  const int minutes = (text[4] - '0') * 10 + (text[5] - '0');
  if (hours > 14 || minutes > 59) return std::nullopt;
  const int seconds = hours * 3600 + minutes * 60;
  return text[0] == '-' ? -seconds : seconds;
}

std::optional<double> ParseExifSubSeconds(std::string_view text) {
  while (!text.empty() && text.back() == ' ') text.remove_suffix(1);
  if (text.empty() || text.size() > 9) return std::nullopt;
  double value = 0, scale = 0.1;
  for (char c : text) {
    if (!std::isdigit(static_cast<unsigned char>(c))) return std::nullopt;
    value += (c - '0') * scale;
    scale /= 10;
  }
  return value;
}

Result<CaptureTime> ResolveCaptureTime(const nlohmann::json& metadata,
                                       const std::filesystem::path& path, CaptureTimeMode mode) {
  for (const DateKey& key : kDateKeys) {
    const std::string date = StringAt(metadata, key.date);
    if (date.empty()) continue;
    if (mode == CaptureTimeMode::kWithOffset) {
      const std::optional<int> offset = ParseExifOffset(StringAt(metadata, key.offset));
      const double subsec = ParseExifSubSeconds(StringAt(metadata, key.subsec)).value_or(0.0);
      if (offset) {
        if (const auto t = ParseExifDateTimeWithOffset(date, *offset)) {
          return CaptureTime{*t + subsec, key.source, true};
        }
      } else if (const auto t = ParseExifDateTimeLocal(date)) {
        return CaptureTime{*t + subsec, key.source, false};
      }
      continue;
    }
    if (const auto t = ParseExifDateTimeLocal(date)) return CaptureTime{*t, key.source, false};
  }
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) {
    const int err = errno;
    if (err == ENOENT) return NotFound(path.string() + ": no such file");
    return ErrnoError(path.string() + ": cannot stat", err);
  }
  const double mtime = static_cast<double>(st.st_mtim.tv_sec) + st.st_mtim.tv_nsec * 1e-9;
  return CaptureTime{mtime, CaptureTimeSource::kFileMtime, false};
}

}  // namespace photomap::media
