#include "bedrock/core/percent_encoding.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <string>

namespace bedrock {
namespace {

// Every byte value against RFC 3986 §2.3 written out independently: unreserved bytes stay,
// everything else (including '/', unless kept) becomes %XX with upper-case hex.
TEST(PercentEncoding, EveryByteFollowsRfc3986Unreserved) {
  const std::string unreserved =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~";
  for (int b = 0; b < 256; ++b) {
    const std::string in(1, static_cast<char>(b));
    char escaped[4];
    std::snprintf(escaped, sizeof escaped, "%%%02X", b);
    const bool keep = unreserved.find(static_cast<char>(b)) != std::string::npos;
    EXPECT_EQ(percent_encoded(in), keep ? in : std::string(escaped)) << b;
    EXPECT_EQ(percent_encoded(in, /*keep_slash=*/true),
              keep || b == '/' ? in : std::string(escaped))
        << b;
  }
}

TEST(PercentEncoding, ModelIdsAndAppending) {
  EXPECT_EQ(percent_encoded("anthropic.claude-3-haiku-20240307-v1:0"),
            "anthropic.claude-3-haiku-20240307-v1%3A0");
  EXPECT_EQ(percent_encoded("arn:aws:bedrock:us-east-1:123456789012:inference-profile/us.x"),
            "arn%3Aaws%3Abedrock%3Aus-east-1%3A123456789012%3Ainference-profile%2Fus.x");
  EXPECT_EQ(percent_encoded("/model/a b/invoke", /*keep_slash=*/true), "/model/a%20b/invoke");
  EXPECT_EQ(percent_encoded(""), "");
  std::string out = "prefix/";
  append_percent_encoded(out, "é", false);
  EXPECT_EQ(out, "prefix/%C3%A9");
}

}  // namespace
}  // namespace bedrock
