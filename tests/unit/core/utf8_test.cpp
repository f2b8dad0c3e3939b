#include "bedrock/core/utf8.h"

#include <gtest/gtest.h>

#include <string>

namespace bedrock {
namespace {

// UTF-8 validation accepts every well-formed width and rejects overlongs and surrogates.
TEST(Utf8, Validation) {
  EXPECT_EQ(first_invalid_utf8("plain ascii"), std::nullopt);
  EXPECT_EQ(first_invalid_utf8("é 中文 😀"), std::nullopt);
  EXPECT_EQ(first_invalid_utf8(std::string("\xC0\xAF")), 0u);          // overlong '/'
  EXPECT_EQ(first_invalid_utf8(std::string("a\xED\xA0\x80")), 1u);     // surrogate
  EXPECT_EQ(first_invalid_utf8(std::string("ab\xF0\x9F\x98")), 2u);    // truncated emoji
  EXPECT_EQ(first_invalid_utf8(std::string("\xF4\x90\x80\x80")), 0u);  // past U+10FFFF
}

Utf8Char at(std::string_view text, std::size_t i) {
  return decode_utf8_at(reinterpret_cast<const unsigned char*>(text.data()), text.size(), i);
}

// Each width decodes to its code point and length; a bad sequence is one invalid byte.
TEST(Utf8, DecodesOneCharacterAt) {
  EXPECT_EQ(at("a", 0).cp, U'a');
  EXPECT_EQ(at("\xC3\xA9", 0).cp, U'\u00E9');
  EXPECT_EQ(at("\xC3\xA9", 0).len, 2);
  EXPECT_EQ(at("x\xE4\xB8\xAD", 1).cp, U'\u4E2D');
  EXPECT_EQ(at("x\xE4\xB8\xAD", 1).len, 3);
  EXPECT_EQ(at("\xF0\x9F\x98\x80", 0).cp, U'\U0001F600');
  EXPECT_EQ(at("\xF0\x9F\x98\x80", 0).len, 4);
  for (std::string_view bad :
       {std::string_view("\xC0\xAF"), std::string_view("\xED\xA0\x80"),
        std::string_view("\xF0\x9F\x98"), std::string_view("\x80"), std::string_view("\xC3x")}) {
    const Utf8Char c = at(bad, 0);
    EXPECT_FALSE(c.valid) << bad;
    EXPECT_EQ(c.len, 1) << bad;
    EXPECT_EQ(c.cp, static_cast<unsigned char>(bad[0])) << bad;
  }
}

}  // namespace
}  // namespace bedrock
