// Text from outside is repaired before it is dumped and cut only between characters.
#include "bedrock/core/utf8_repair.h"

#include <gtest/gtest.h>

#include <string>

#include "bedrock/core/utf8.h"

namespace bedrock {
namespace {

// Invalid bytes become U+FFFD; valid text passes unchanged; the result is always valid.
TEST(Utf8Repair, ReplacesInvalidSequences) {
  EXPECT_EQ(replace_invalid_utf8("plain"), "plain");
  EXPECT_EQ(replace_invalid_utf8("caf\xC3\xA9"), "caf\xC3\xA9");
  EXPECT_EQ(replace_invalid_utf8("a\xFF"
                                 "b"),
            "a\xEF\xBF\xBD"
            "b");
  EXPECT_EQ(replace_invalid_utf8("x\xC3"), "x\xEF\xBF\xBD");          // cut character
  EXPECT_EQ(replace_invalid_utf8("\xED\xA0\x80!"), "\xEF\xBF\xBD!");  // a surrogate
  for (const char* bad : {"\xC0\xAF", "\xF5\x80\x80\x80", "\x80\x80", "ok\xE2\x82"}) {
    EXPECT_TRUE(is_valid_utf8(replace_invalid_utf8(bad))) << bad;
  }
}

// A prefix never ends inside a character.
TEST(Utf8Repair, PrefixEndsOnACharacterBoundary) {
  const std::string text =
      "ab\xE2\x82\xAC"
      "cd";  // "ab€cd"
  EXPECT_EQ(utf8_prefix(text, 2), "ab");
  EXPECT_EQ(utf8_prefix(text, 3), "ab");
  EXPECT_EQ(utf8_prefix(text, 4), "ab");
  EXPECT_EQ(utf8_prefix(text, 5), "ab\xE2\x82\xAC");
  EXPECT_EQ(utf8_prefix(text, 100), text);
  const std::string euros = std::string(1023, 'x') + "\xE2\x82\xAC";
  EXPECT_TRUE(is_valid_utf8(utf8_prefix(euros, 1024)));
}

}  // namespace
}  // namespace bedrock
