// Untrusted values (metadata read from files) turned into HTML text the way PhotoMapAI's slide
// formatters print them: Python's str() of a JSON value, then html.escape(quote=True), with a
// length cap so a hostile file cannot blow up a response. Pure functions; thread-safe; none throws
// on any input.
#pragma once

#include <nlohmann/json.hpp>

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace photomap::http {

// The most bytes of one metadata value shown in a panel; longer text is cut (at a UTF-8 boundary)
// and ends in "…". Prompts are rarely over 2 KB; 16 KB keeps a panel readable and bounded.
inline constexpr size_t kMaxShownValueBytes = 16 * 1024;

// Returns `text` with & < > " ' replaced by &amp; &lt; &gt; &quot; &#x27; (Python html.escape).
std::string HtmlEscape(std::string_view text);

// Returns Python's repr() of a float: shortest round-trip digits, "8.0" for integral values,
// exponent form below 1e-4 and from 1e16 ("1e-05", "1e+16"), "inf", "-inf", "nan".
std::string PyFloat(double value);

// Returns Python's str() of the decoded JSON value: strings as they are, True/False, "None"-less
// null (""), integers in decimal, floats as PyFloat, arrays and objects as compact JSON.
std::string PyStr(const nlohmann::ordered_json& value);

// Returns `text` cut to at most `max_bytes` bytes at a code-point boundary plus "…" when longer,
// with invalid UTF-8 replaced by U+FFFD either way.
std::string ClipText(std::string_view text, size_t max_bytes = kMaxShownValueBytes);

// HtmlEscape(ClipText(PyStr(value))): how every file-derived value enters a panel.
std::string EscapedValue(const nlohmann::ordered_json& value);

// Returns the value as a double when it is a JSON number (not a bool) and finite.
std::optional<double> FiniteNumber(const nlohmann::ordered_json& value);

// Returns true for strings, numbers, booleans and null (Python's str/int/float/bool/None).
bool IsScalar(const nlohmann::ordered_json& value);

// Returns printf("%.<decimals>f", value) (correctly rounded, like Python's format()).
std::string FormatFixed(double value, int decimals);

}  // namespace photomap::http
