#include "http/html_text.h"

#include <charconv>
#include <cmath>
#include <cstdio>

#include "media/utf8_text.h"

namespace photomap::http {

std::string HtmlEscape(std::string_view text) {
  std::string out;
  out.reserve(text.size() + text.size() / 8);
  for (char c : text) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&#x27;";
        break;
      default:
        out += c;
    }
  }
  return out;
}

std::string PyFloat(double value) {
  if (std::isnan(value)) return "nan";
  if (std::isinf(value)) return value > 0 ? "inf" : "-inf";
  const double magnitude = std::fabs(value);
  const bool scientific = magnitude != 0 && (magnitude < 1e-4 || magnitude >= 1e16);
  char buf[64];
  auto [end, ec] =
      std::to_chars(buf, buf + sizeof buf, value,
                    scientific ? std::chars_format::scientific : std::chars_format::fixed);
  if (ec != std::errc()) return FormatFixed(value, 6);
  std::string out(buf, end);
  if (!scientific && out.find('.') == std::string::npos) out += ".0";
  return out;
}

std::string PyStr(const nlohmann::ordered_json& value) {
  if (value.is_string()) return value.get_ref<const std::string&>();
  if (value.is_boolean()) return value.get<bool>() ? "True" : "False";
  if (value.is_null()) return "";
  if (value.is_number_integer()) return value.dump();  // int64 or uint64, exact
  if (value.is_number_float()) return PyFloat(value.get<double>());
  return value.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

std::string ClipText(std::string_view text, size_t max_bytes) {
  if (text.size() <= max_bytes) return media::SanitizeUtf8(text);
  size_t cut = max_bytes;
  // Step back over continuation bytes so a code point is never split.
  while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80) --cut;
  return media::SanitizeUtf8(text.substr(0, cut)) + "\xE2\x80\xA6";
}

std::string EscapedValue(const nlohmann::ordered_json& value) {
  return HtmlEscape(ClipText(PyStr(value)));
}

std::optional<double> FiniteNumber(const nlohmann::ordered_json& value) {
  if (!value.is_number()) return std::nullopt;
  const double v = value.get<double>();
  if (!std::isfinite(v)) return std::nullopt;
  return v;
}

bool IsScalar(const nlohmann::ordered_json& value) {
  return value.is_string() || value.is_number() || value.is_boolean() || value.is_null();
}

std::string FormatFixed(double value, int decimals) {
  if (!std::isfinite(value)) return PyFloat(value);
  const int n = std::snprintf(nullptr, 0, "%.*f", decimals, value);
  if (n <= 0) return "";
  std::string out(static_cast<size_t>(n) + 1, '\0');
  std::snprintf(out.data(), out.size(), "%.*f", decimals, value);
  out.resize(static_cast<size_t>(n));
  return out;
}

}  // namespace photomap::http
