// The depth scan that keeps deeply nested peer JSON away from recursive code.
#include "bedrock/core/json_nesting.h"

#include <gtest/gtest.h>

#include <string>

namespace bedrock {
namespace {

std::string nested(std::size_t depth, char open = '[', char close = ']') {
  return std::string(depth, open) + std::string(depth, close);
}

// Depth is counted over arrays and objects alike, up to and including the limit.
TEST(JsonNesting, CountsArraysAndObjectsUpToTheLimit) {
  EXPECT_FALSE(json_nesting_exceeds("{}", 1));
  EXPECT_FALSE(json_nesting_exceeds(nested(kMaxJsonNesting)));
  EXPECT_TRUE(json_nesting_exceeds(nested(kMaxJsonNesting + 1)));
  EXPECT_FALSE(json_nesting_exceeds(R"({"a":[{"b":[1,2]}]})", 4));
  EXPECT_TRUE(json_nesting_exceeds(R"({"a":[{"b":[1,2]}]})", 3));
}

// 100,000 levels are refused in one linear pass.
TEST(JsonNesting, RefusesHundredThousandLevels) {
  EXPECT_TRUE(json_nesting_exceeds(nested(100000)));
  EXPECT_TRUE(json_nesting_exceeds("{\"a\":" + nested(100000) + "}"));
}

// Brackets inside strings, escaped quotes included, are text, not nesting.
TEST(JsonNesting, IgnoresBracketsInsideStrings) {
  EXPECT_FALSE(json_nesting_exceeds("[\"" + std::string(1000, '[') + "\"]", 1));
  EXPECT_FALSE(json_nesting_exceeds(R"(["a\"[[[[", "\\"])", 1));
  EXPECT_TRUE(json_nesting_exceeds(R"(["\\", [[]]])", 2));
}

}  // namespace
}  // namespace bedrock
