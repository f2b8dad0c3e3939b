// Bearer tokens on requests and short-term Bedrock API keys (docs/wire-protocol.md §4).
#include "bedrock/auth/bearer.h"

#include <gtest/gtest.h>

#include "bedrock/core/base64.h"

namespace bedrock::auth {
namespace {

const WallTime kTime{std::chrono::seconds{1705320000}};  // 2024-01-15T12:00:00Z

constexpr std::string_view kPresignedPart =
    "bedrock.amazonaws.com/?Action=CallWithBearerToken&X-Amz-Algorithm=AWS4-HMAC-SHA256&"
    "X-Amz-Credential=AKIDEXAMPLE%2F20240115%2Fus-east-1%2Fbedrock%2Faws4_request&X-Amz-Date="
    "20240115T120000Z&X-Amz-Expires=43200&X-Amz-SignedHeaders=host&X-Amz-Signature="
    "43063309c8eec1e55dbe24aa970233a025ca66dc68a801079f368a3b09cc3083&Version=1";

constexpr std::string_view kReferenceKey =
    "bedrock-api-key-"
    "YmVkcm9jay5hbWF6b25hd3MuY29tLz9BY3Rpb249Q2FsbFdpdGhCZWFyZXJUb2tlbiZYLUFtei1BbGdvcml0aG09QVdT"
    "NC1ITUFDLVNIQTI1NiZYLUFtei1DcmVkZW50aWFsPUFLSURFWEFNUExFJTJGMjAyNDAxMTUlMkZ1cy1lYXN0LTElMkZi"
    "ZWRyb2NrJTJGYXdzNF9yZXF1ZXN0JlgtQW16LURhdGU9MjAyNDAxMTVUMTIwMDAwWiZYLUFtei1FeHBpcmVzPTQzMjAw"
    "JlgtQW16LVNpZ25lZEhlYWRlcnM9aG9zdCZYLUFtei1TaWduYXR1cmU9NDMwNjMzMDljOGVlYzFlNTVkYmUyNGFhOTcw"
    "MjMzYTAyNWNhNjZkYzY4YTgwMTA3OWYzNjhhM2IwOWNjMzA4MyZWZXJzaW9uPTE=";

constexpr std::string_view kSecret = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";

Credentials example_credentials(std::string token = "") {
  return Credentials{"AKIDEXAMPLE", std::string(kSecret), std::move(token), std::nullopt, "test"};
}

TEST(ApplyBearer, ReplacesAuthorizationAndAddsNothingElse) {
  // Exactly one "Authorization: Bearer <token>"; other headers and the body are untouched.
  http::Request r;
  r.url = "https://bedrock-runtime.us-east-1.amazonaws.com/model/m/invoke";
  r.headers = {{"authorization", "AWS4-HMAC-SHA256 old"}, {"Content-Type", "application/json"}};
  r.body = "{}";
  ASSERT_TRUE(apply_bearer(r, "ABSKabc123="));
  ASSERT_EQ(r.headers.size(), 2u);
  EXPECT_EQ(r.headers[0],
            (std::pair<std::string, std::string>{"Content-Type", "application/json"}));
  EXPECT_EQ(r.headers[1],
            (std::pair<std::string, std::string>{"Authorization", "Bearer ABSKabc123="}));
  EXPECT_EQ(r.body, "{}");
}

TEST(ApplyBearer, RejectsTokensThatCannotBeAHeader) {
  // Empty tokens, whitespace, CR/LF (header injection) and non-ASCII are refused unchanged.
  for (std::string_view bad :
       {std::string_view(""), std::string_view("abc def"), std::string_view("abc\r\nX-Evil: 1"),
        std::string_view("abc\n"), std::string_view("t\xc3\xa9st"), std::string_view("a\0b", 3)}) {
    http::Request r;
    r.headers = {{"Authorization", "keep"}};
    auto status = apply_bearer(r, bad);
    ASSERT_FALSE(status);
    EXPECT_EQ(status.error().code, ErrorCode::ConfigurationInvalid);
    EXPECT_EQ(r.headers.size(), 1u);
    EXPECT_EQ(r.headers[0].second, "keep");
  }
  EXPECT_NE(validate_bearer_token("abc\ndef").error().message.find("offset 3"), std::string::npos);
}

TEST(ShortTermKey, GeneratesReferenceKeyByteForByte) {
  // The §4 example: botocore SigV4QueryAuth at the §3.3 time and keys.
  auto url = sigv4::presign_url(
      "POST", "https://bedrock.amazonaws.com/?Action=CallWithBearerToken", example_credentials(),
      sigv4::SigningParams{"us-east-1", "bedrock", kTime}, std::chrono::seconds(43200));
  ASSERT_TRUE(url) << url.error().message;
  std::string without_version(kPresignedPart.substr(0, kPresignedPart.size() - 10));
  EXPECT_EQ(*url, "https://" + without_version);
  auto key = make_short_term_key(example_credentials(), "us-east-1", kTime);
  ASSERT_TRUE(key) << key.error().message;
  EXPECT_EQ(*key, kReferenceKey);
  EXPECT_EQ(base64_decode(key->substr(16)), std::string(kPresignedPart));
}

TEST(ShortTermKey, DecodesReferenceKey) {
  // Decoding yields the presigned URL's parts.
  auto key = decode_short_term_key(kReferenceKey);
  ASSERT_TRUE(key) << key.error().message;
  EXPECT_EQ(key->presigned_url, "https://" + std::string(kPresignedPart));
  EXPECT_EQ(key->version, 1);
  EXPECT_EQ(key->query.access_key_id, "AKIDEXAMPLE");
  EXPECT_EQ(key->query.date, "20240115");
  EXPECT_EQ(key->query.region, "us-east-1");
  EXPECT_EQ(key->query.service, "bedrock");
  EXPECT_EQ(key->query.amz_date, "20240115T120000Z");
  EXPECT_EQ(key->query.signed_at, kTime);
  EXPECT_EQ(key->query.expires, std::chrono::seconds(43200));
  EXPECT_EQ(key->query.signed_headers, std::vector<std::string>{"host"});
  EXPECT_EQ(key->query.host, "bedrock.amazonaws.com");
  EXPECT_EQ(key->query.signature,
            "43063309c8eec1e55dbe24aa970233a025ca66dc68a801079f368a3b09cc3083");
  EXPECT_TRUE(key->query.session_token.empty());
}

TEST(ShortTermKey, VerifiesSignatureAndExpiry) {
  // Right secret within 12 h passes; wrong secret, expiry and future dates fail distinctly.
  auto key = decode_short_term_key(kReferenceKey);
  ASSERT_TRUE(key);
  EXPECT_TRUE(verify_short_term_key(*key, kSecret, kTime));
  EXPECT_TRUE(verify_short_term_key(*key, kSecret, kTime + std::chrono::seconds(43199)));
  auto wrong = verify_short_term_key(*key, "not-the-secret", kTime);
  ASSERT_FALSE(wrong);
  EXPECT_EQ(wrong.error().code, ErrorCode::InvalidSignature);
  auto expired = verify_short_term_key(*key, kSecret, kTime + std::chrono::seconds(43200));
  ASSERT_FALSE(expired);
  EXPECT_EQ(expired.error().code, ErrorCode::ExpiredToken);
  EXPECT_TRUE(verify_short_term_key(*key, kSecret, kTime - std::chrono::minutes(10)));
  auto future = verify_short_term_key(*key, kSecret, kTime - std::chrono::minutes(16));
  ASSERT_FALSE(future);
  EXPECT_EQ(future.error().code, ErrorCode::InvalidSignature);
}

TEST(ShortTermKey, TamperingIsDetected) {
  // Changing any signed parameter (here the region, expiry) breaks the signature.
  std::string part(kPresignedPart);
  for (auto [from, to] : {std::pair<std::string, std::string>{"us-east-1", "us-west-2"},
                          {"X-Amz-Expires=43200", "X-Amz-Expires=43201"}}) {
    std::string tampered = part;
    tampered.replace(tampered.find(from), from.size(), to);
    auto key = decode_short_term_key("bedrock-api-key-" + base64_encode(tampered));
    ASSERT_TRUE(key) << key.error().message;
    auto status = verify_short_term_key(*key, kSecret, kTime);
    ASSERT_FALSE(status) << from;
    EXPECT_EQ(status.error().code, ErrorCode::InvalidSignature);
  }
}

TEST(ShortTermKey, SessionTokenRoundTrip) {
  // With temporary credentials the token travels signed in X-Amz-Security-Token.
  auto made = make_short_term_key(example_credentials("FQoG/token+="), "eu-central-1", kTime,
                                  std::chrono::seconds(3600));
  ASSERT_TRUE(made);
  auto key = decode_short_term_key(*made);
  ASSERT_TRUE(key) << key.error().message;
  EXPECT_EQ(key->query.session_token, "FQoG/token+=");
  EXPECT_EQ(key->query.region, "eu-central-1");
  EXPECT_EQ(key->query.expires, std::chrono::seconds(3600));
  EXPECT_TRUE(verify_short_term_key(*key, kSecret, kTime + std::chrono::seconds(3599)));
  EXPECT_EQ(verify_short_term_key(*key, kSecret, kTime + std::chrono::seconds(3600)).error().code,
            ErrorCode::ExpiredToken);
}

TEST(ShortTermKey, RejectsMalformedKeys) {
  // Prefix, base64, URL shape, action and version problems are InvalidSignature errors.
  auto encode = [](std::string_view payload) {
    return "bedrock-api-key-" + base64_encode(payload);
  };
  std::string good(kPresignedPart);
  std::string other_action = good;
  other_action.replace(other_action.find("CallWithBearerToken"), 19, "SomethingElse");
  std::string no_version = good.substr(0, good.size() - 10);
  std::string no_sig = good;
  no_sig.replace(no_sig.find("&X-Amz-Signature="), 17, "&X-Amz-Sig=");
  for (const std::string& token :
       {std::string("ABSKlongtermkey"), std::string("bedrock-api-key-!!!!"),
        std::string("bedrock-api-key-YWJj"), encode("not a url"), encode(other_action),
        encode(no_version), encode(no_sig), encode(good + "\n")}) {
    auto key = decode_short_term_key(token);
    ASSERT_FALSE(key) << token;
    EXPECT_EQ(key.error().code, ErrorCode::InvalidSignature) << token;
  }
  EXPECT_TRUE(is_short_term_key(kReferenceKey));
  EXPECT_FALSE(is_short_term_key("ABSKQmVkcm9jaw"));
}

}  // namespace
}  // namespace bedrock::auth
