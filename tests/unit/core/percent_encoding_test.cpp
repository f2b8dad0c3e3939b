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

TEST(PercentEncoding, MatchesReferenceModelIdTable) {
  // Model ids and ARNs become single path segments, ':' and '/' encoded; space is %20 (never
  // '+'), and reserved characters and '%' itself are escaped.
  EXPECT_EQ(percent_encoded("us.anthropic.claude-3-5-sonnet-20240620-v1:0"),
            "us.anthropic.claude-3-5-sonnet-20240620-v1%3A0");
  EXPECT_EQ(percent_encoded("a b+c"), "a%20b%2Bc");
  EXPECT_EQ(percent_encoded("/model/x:y/invoke"), "%2Fmodel%2Fx%3Ay%2Finvoke");
  EXPECT_EQ(percent_encoded("!*'();@&=$,?#[]%"),
            "%21%2A%27%28%29%3B%40%26%3D%24%2C%3F%23%5B%5D%25");
  EXPECT_EQ(percent_encoded(std::string("a\0b", 3)), "a%00b");
}

TEST(PercentDecode, InvertsEncodingAndAcceptsLowerCaseHex) {
  // Decoding undoes percent_encoded, accepts %3a as well as %3A and leaves '+' alone.
  EXPECT_EQ(percent_decode("v1%3A0"), "v1:0");
  EXPECT_EQ(percent_decode("v1%3a0"), "v1:0");
  EXPECT_EQ(percent_decode("a+b%20c"), "a+b c");
  EXPECT_EQ(percent_decode(""), "");
  EXPECT_EQ(percent_decode("%00"), std::string(1, '\0'));
  const std::string arn =
      "arn:aws:bedrock:us-east-1:123456789012:inference-profile/us.anthropic.claude-3-haiku-v1:0";
  EXPECT_EQ(percent_decode(percent_encoded(arn)), arn);
}

TEST(PercentDecode, RoundTripsMultiByteUtf8) {
  // UTF-8 is encoded byte by byte and decodes back to the same bytes, in either hex case.
  const std::string text = "caf\xC3\xA9 \xE2\x82\xAC \xF0\x9F\x98\x80";
  EXPECT_EQ(percent_encoded(text), "caf%C3%A9%20%E2%82%AC%20%F0%9F%98%80");
  EXPECT_EQ(percent_decode(percent_encoded(text)), text);
  EXPECT_EQ(percent_decode("%e2%82%ac"), "\xE2\x82\xAC");
  EXPECT_EQ(percent_decode_lenient(percent_encoded(text)), text);
}

TEST(PercentDecode, RejectsMalformedEscapes) {
  // A '%' without two hex digits is an error rather than a silent pass-through.
  for (const char* bad : {"%", "%4", "abc%", "%G0", "%0g", "x%%41", "%zz", "a%2"}) {
    EXPECT_FALSE(percent_decode(bad).has_value()) << bad;
  }
}

TEST(PercentDecodeLenient, KeepsMalformedEscapesLiterally) {
  // SigV4 canonicalisation keeps a stray '%' (the encoder later writes it as %25).
  EXPECT_EQ(percent_decode_lenient("%"), "%");
  EXPECT_EQ(percent_decode_lenient("abc%4"), "abc%4");
  EXPECT_EQ(percent_decode_lenient("%G0%41"), "%G0A");
  EXPECT_EQ(percent_decode_lenient("x%%41"), "x%A");
  EXPECT_EQ(percent_decode_lenient("a+b%2fc"), "a+b/c");
  EXPECT_EQ(percent_encoded(percent_decode_lenient("100%")), "100%25");
}

TEST(PercentEscapeAt, ReadsOnlyCompleteEscapes) {
  // The byte of a %XY at the given offset; nothing for a non-'%' or a short/invalid escape.
  EXPECT_EQ(percent_escape_at("a%2Fb", 1), '/');
  EXPECT_EQ(percent_escape_at("a%2fb", 1), '/');
  EXPECT_EQ(percent_escape_at("a%2Fb", 0), std::nullopt);
  EXPECT_EQ(percent_escape_at("%2", 0), std::nullopt);
  EXPECT_EQ(percent_escape_at("%x1", 0), std::nullopt);
  EXPECT_EQ(percent_escape_at("%41", 3), std::nullopt);
}

}  // namespace
}  // namespace bedrock
