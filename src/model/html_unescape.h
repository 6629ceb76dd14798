// HtmlUnescape: Python's html.unescape, byte for byte, for the CLIP tokenizer's text cleaning.
//
// OpenAI's tokenizer runs html.unescape twice on every query, so "&amp;amp;" becomes "&". This is
// a port of CPython's implementation with its complete tables (all 2,231 HTML5 entity names, the
// Windows-1252 remapping of numeric references, the dropped code points), generated from CPython
// into html_entities.inc. Pure function; thread-safe.
#pragma once

#include <string>
#include <string_view>

namespace photomap::model {

// Returns `text` with every character reference replaced as html.unescape does:
//   &name; and legacy names without ';' (longest known prefix wins: "&ampx" -> "&x"),
//   &#123; &#x7B; (semicolon optional; invalid code points -> U+FFFD or dropped, as CPython).
// Requires: `text` is valid UTF-8 (the 32-character name limit counts code points).
std::string HtmlUnescape(std::string_view text);

}  // namespace photomap::model
