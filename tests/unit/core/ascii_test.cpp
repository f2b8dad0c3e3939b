#include "bedrock/core/ascii.h"

#include <gtest/gtest.h>

namespace bedrock {
namespace {

// Trims only the given characters at either end, never inside, and empties all-blank input.
TEST(TrimAscii, TrimsTheGivenCharactersAtBothEnds) {
  EXPECT_EQ(trim_ascii("  a b \r\n"), "a b");
  EXPECT_EQ(trim_ascii("\t\n"), "");
  EXPECT_EQ(trim_ascii(""), "");
  EXPECT_EQ(trim_ascii("x"), "x");
  EXPECT_EQ(trim_ascii(" \r\nx\n", " \t"), "\r\nx\n");
  EXPECT_EQ(trim_ascii("\f\vkey \t", " \t\f\v"), "key");
}

// Case folding touches ASCII letters only.
TEST(Ascii, FoldsAsciiLettersOnly) {
  EXPECT_EQ(to_lower_ascii("X-Amz-Date \xC3\x89"), "x-amz-date \xC3\x89");
  EXPECT_TRUE(iequals_ascii("Content-Length", "content-length"));
  EXPECT_FALSE(iequals_ascii("Content-Length", "content-lengt"));
}

}  // namespace
}  // namespace bedrock
