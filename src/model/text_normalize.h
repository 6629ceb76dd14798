// Python-compatible Unicode text operations the tokenizers need to match their references.
//
// OpenAI's tokenizer is Python: it relies on str.lower(), str.strip() and re's \s, whose exact
// Unicode behaviour differs from the C locale functions. These reproduce CPython's rules on
// UTF-8 strings (with utf8proc for NFC and case tables). Pure functions; thread-safe.
#pragma once

#include <string>
#include <string_view>

#include "util/status.h"

namespace photomap::model {

// Unicode NFC of `text` (what ftfy.fix_text applies by default).
// Returns InvalidInput when `text` is not valid UTF-8.
Result<std::string> NormalizeNfc(std::string_view text);

// True for the code points CPython's str.isspace() (and so re's \s and str.strip()) accepts.
bool IsPythonSpace(char32_t cp);

// re.sub(r"\s+", " ", text).strip() with Python's notion of whitespace.
// Requires: `text` is valid UTF-8.
std::string CollapseWhitespace(std::string_view text);

// CPython's str.lower(): full lower-case mapping, so U+0130 becomes "i\u0307" and a capital sigma
// at the end of a word becomes final sigma. Requires: `text` is valid UTF-8.
std::string PythonLower(std::string_view text);

// Decodes valid UTF-8 into code points / encodes code points as UTF-8.
std::u32string DecodeUtf8(std::string_view text);
std::string EncodeUtf8(std::u32string_view text);

}  // namespace photomap::model
