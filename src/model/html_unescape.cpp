#include "model/html_unescape.h"

#include <algorithm>
#include <cstdint>
#include <cstring>

namespace photomap::model {
namespace {

struct HtmlEntity {
  const char* name;
  const char* value;
};
struct InvalidCharref {
  uint32_t code;
  const char* value;
};

#include "model/html_entities.inc"

const char* LookupEntity(std::string_view name) {
  auto it = std::lower_bound(std::begin(kHtmlEntities), std::end(kHtmlEntities), name,
                             [](const HtmlEntity& e, std::string_view n) { return e.name < n; });
  if (it != std::end(kHtmlEntities) && std::string_view(it->name) == name) return it->value;
  return nullptr;
}

void AppendUtf8(uint32_t cp, std::string& out) {
  if (cp < 0x80) {
    out.push_back(static_cast<char>(cp));
  } else if (cp < 0x800) {
    out.push_back(static_cast<char>(0xC0 | (cp >> 6)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else if (cp < 0x10000) {
    out.push_back(static_cast<char>(0xE0 | (cp >> 12)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else {
    out.push_back(static_cast<char>(0xF0 | (cp >> 18)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  }
}

bool IsDigit(char c) { return c >= '0' && c <= '9'; }
bool IsHexDigit(char c) { return IsDigit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'); }
int HexValue(char c) {
  if (IsDigit(c)) return c - '0';
  return (c | 0x20) - 'a' + 10;
}

// CPython's _replace_charref for a numeric reference whose value is `num` (saturated above
// 0x10FFFF, which is all that matters for the out-of-range test).
void AppendNumericReference(uint64_t num, std::string& out) {
  for (const InvalidCharref& r : kInvalidCharrefs) {
    if (r.code == num) {
      out += r.value;
      return;
    }
  }
  if ((num >= 0xD800 && num <= 0xDFFF) || num > 0x10FFFF) {
    out += "\xEF\xBF\xBD";  // U+FFFD
    return;
  }
  if (std::find(std::begin(kInvalidCodepoints), std::end(kInvalidCodepoints), num) !=
      std::end(kInvalidCodepoints)) {
    return;
  }
  AppendUtf8(static_cast<uint32_t>(num), out);
}

// Tries "&#[0-9]+;?" or "&#[xX][0-9a-fA-F]+;?" at text[pos] == '&'. Returns the bytes consumed
// (0 when it does not match) and appends the replacement.
size_t TryNumeric(std::string_view text, size_t pos, std::string& out) {
  size_t i = pos + 2;  // after "&#"
  bool hex = i < text.size() && (text[i] == 'x' || text[i] == 'X');
  if (hex) ++i;
  size_t digits_start = i;
  uint64_t num = 0;
  while (i < text.size() && (hex ? IsHexDigit(text[i]) : IsDigit(text[i]))) {
    num = num * (hex ? 16 : 10) + static_cast<uint64_t>(hex ? HexValue(text[i]) : text[i] - '0');
    if (num > 0x110000) num = 0x110000;  // saturate: anything above 0x10FFFF behaves the same
    ++i;
  }
  if (i == digits_start) return 0;
  if (i < text.size() && text[i] == ';') ++i;
  AppendNumericReference(num, out);
  return i - pos;
}

bool IsNameByte(char c) {
  return c != '\t' && c != '\n' && c != '\f' && c != ' ' && c != '<' && c != '&' && c != '#' &&
         c != ';';
}

// Tries "&[^\t\n\f <&#;]{1,32};?" at text[pos] == '&' (32 code points, greedy). Returns the bytes
// consumed (0 when it does not match) and appends the replacement.
size_t TryNamed(std::string_view text, size_t pos, std::string& out) {
  size_t i = pos + 1;
  int chars = 0;
  while (i < text.size() && chars < 32 && IsNameByte(text[i])) {
    // Step over one UTF-8 sequence (continuation bytes are never delimiters).
    ++i;
    while (i < text.size() && (static_cast<unsigned char>(text[i]) & 0xC0) == 0x80) ++i;
    ++chars;
  }
  if (chars == 0) return 0;
  if (i < text.size() && text[i] == ';') ++i;
  std::string_view s = text.substr(pos + 1, i - pos - 1);
  if (const char* v = LookupEntity(s)) {
    out += v;
    return i - pos;
  }
  // Longest known prefix of at least 2 characters (names are ASCII, so bytes == characters for
  // any prefix that can match).
  for (size_t x = s.size() - 1; x >= 2; --x) {
    if (const char* v = LookupEntity(s.substr(0, x))) {
      out += v;
      out += s.substr(x);
      return i - pos;
    }
  }
  out += '&';
  out += s;
  return i - pos;
}

}  // namespace

std::string HtmlUnescape(std::string_view text) {
  if (text.find('&') == std::string_view::npos) return std::string(text);
  std::string out;
  out.reserve(text.size());
  size_t pos = 0;
  while (pos < text.size()) {
    size_t amp = text.find('&', pos);
    if (amp == std::string_view::npos) {
      out += text.substr(pos);
      break;
    }
    out += text.substr(pos, amp - pos);
    size_t used = 0;
    if (amp + 1 < text.size() && text[amp + 1] == '#') {
      used = TryNumeric(text, amp, out);
    } else {
      used = TryNamed(text, amp, out);
    }
    if (used == 0) {
      out += '&';
      used = 1;
    }
    pos = amp + used;
  }
  return out;
}

}  // namespace photomap::model
