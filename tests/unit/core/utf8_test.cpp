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

}  // namespace
}  // namespace bedrock
