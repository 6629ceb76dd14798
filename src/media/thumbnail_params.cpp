#include "media/thumbnail_params.h"

#include <algorithm>
#include <cstdio>

namespace photomap::media {
namespace {

int HexDigit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

std::optional<Rgb8> ParseHex(std::string_view s) {
  if (!s.empty() && s[0] == '#') s.remove_prefix(1);
  if (s.size() != 6) return std::nullopt;
  Rgb8 c{};
  for (int i = 0; i < 3; ++i) {
    int hi = HexDigit(s[2 * i]), lo = HexDigit(s[2 * i + 1]);
    if (hi < 0 || lo < 0) return std::nullopt;
    c[i] = static_cast<uint8_t>(hi * 16 + lo);
  }
  return c;
}

// "d{1,3},d{1,3},d{1,3}" with each component <= 255.
std::optional<Rgb8> ParseTriple(std::string_view s) {
  Rgb8 c{};
  for (int i = 0; i < 3; ++i) {
    size_t digits = 0;
    int value = 0;
    while (digits < s.size() && s[digits] >= '0' && s[digits] <= '9') {
      value = value * 10 + (s[digits] - '0');
      ++digits;
    }
    if (digits == 0 || digits > 3 || value > 255) return std::nullopt;
    c[i] = static_cast<uint8_t>(value);
    s.remove_prefix(digits);
    if (i < 2) {
      if (s.empty() || s[0] != ',') return std::nullopt;
      s.remove_prefix(1);
    }
  }
  if (!s.empty()) return std::nullopt;
  return c;
}

}  // namespace

Result<ThumbnailParams> ParseThumbnailParams(std::optional<long long> size,
                                             std::optional<long long> radius,
                                             std::optional<std::string_view> color) {
  ThumbnailParams p;
  if (size) {
    if (*size <= 0 || *size > kMaxThumbnailSize) return InvalidInput("Invalid thumbnail size");
    p.size = static_cast<int>(*size);
  }
  if (radius) {
    if (*radius < 0 || *radius > kMaxThumbnailRadius) {
      return InvalidInput("Invalid thumbnail radius");
    }
    p.radius = static_cast<int>(*radius);
  }
  if (color && !color->empty()) {
    std::optional<Rgb8> c = ParseHex(*color);
    if (!c) c = ParseTriple(*color);
    if (!c) return InvalidInput("Invalid color parameter");
    p.color = c;
  }
  return p;
}

std::string ColorHex(const Rgb8& color) {
  char buf[8];
  std::snprintf(buf, sizeof buf, "%02x%02x%02x", color[0], color[1], color[2]);
  return buf;
}

int ThumbnailBorderWidth(int size) { return std::max(5, size / 32); }

}  // namespace photomap::media
