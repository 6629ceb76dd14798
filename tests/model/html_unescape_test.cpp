// HtmlUnescape vs CPython html.unescape (expected values produced with CPython 3.11).
#include "model/html_unescape.h"

#include <gtest/gtest.h>

namespace photomap::model {
namespace {

TEST(HtmlUnescapeTest, MatchesCPython) {
  struct Case {
    const char* in;
    const char* out;
  };
  const Case cases[] = {
      {"no entities", "no entities"},
      {"&amp;", "&"},
      {"&amp;amp;", "&amp;"},      // one pass only
      {"&AMP", "&"},               // legacy name without ';'
      {"&ampx", "&x"},             // longest known prefix wins
      {"&notit;", "\xC2\xACit;"},  // "&not" prefix, rest kept
      {"&unknown;", "&unknown;"},
      {"&#65;&#x42;&#X43", "ABC"},
      {"&#0;", "\xEF\xBF\xBD"},                     // invalid charref -> U+FFFD
      {"&#128;", "\xE2\x82\xAC"},                   // Windows-1252 remap: euro sign
      {"&#xD800;", "\xEF\xBF\xBD"},                 // surrogate
      {"&#99999999999999999999;", "\xEF\xBF\xBD"},  // out of range
      {"&#1;x", "x"},                               // dropped code point
      {"&#; &#x; & &;", "&#; &#x; & &;"},
      {"&NotEqualTilde;", "\xE2\x89\x82\xCC\xB8"},  // two code points
      {"caf&eacute; &lt;b&gt;", "caf\xC3\xA9 <b>"},
  };
  for (const Case& c : cases) EXPECT_EQ(HtmlUnescape(c.in), c.out) << "input: " << c.in;
}

TEST(HtmlUnescapeTest, NameLongerThan32CharsIsCutAt32) {
  std::string name(40, 'a');
  EXPECT_EQ(HtmlUnescape("&" + name + ";"), "&" + name + ";");
}

}  // namespace
}  // namespace photomap::model
