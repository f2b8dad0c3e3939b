// parse_authorization: round trips with sign() and rejects malformed headers.
#include <gtest/gtest.h>

#include "bedrock/auth/sigv4.h"

namespace bedrock::auth::sigv4 {
namespace {

constexpr const char* kSig = "457990cca69a30d096adea6404187226726aa25c097c218c05ddfa7768b467ea";

TEST(ParseAuthorization, RoundTripsSignOutput) {
  // What sign() writes parses back into the same scope, headers and signature.
  http::Request r;
  r.url = "https://bedrock-runtime.us-east-1.amazonaws.com/model/m/invoke";
  r.headers = {{"Content-Type", "application/json"}};
  Credentials c{"AKIDEXAMPLE", "secret", "", std::nullopt, "test"};
  SigningParams p;
  p.region = "eu-west-3";
  p.time = WallTime{std::chrono::seconds{1705320000}};
  SigningTrace trace;
  ASSERT_TRUE(sign(r, c, p, &trace));
  std::string value;
  for (const auto& [k, v] : r.headers) {
    if (k == "Authorization") value = v;
  }
  auto parsed = parse_authorization(value);
  ASSERT_TRUE(parsed) << parsed.error().message;
  EXPECT_EQ(parsed->access_key_id, "AKIDEXAMPLE");
  EXPECT_EQ(parsed->date, "20240115");
  EXPECT_EQ(parsed->region, "eu-west-3");
  EXPECT_EQ(parsed->service, "bedrock");
  EXPECT_EQ(parsed->terminator, "aws4_request");
  EXPECT_EQ(parsed->signed_headers,
            (std::vector<std::string>{"content-type", "host", "x-amz-date"}));
  EXPECT_EQ(parsed->signature, trace.signature);
  EXPECT_EQ(authorization_value(parsed->access_key_id,
                                credential_scope(parsed->date, parsed->region, parsed->service),
                                "content-type;host;x-amz-date", parsed->signature),
            value);
}

TEST(ParseAuthorization, ToleratesSpacingAndOrder) {
  // Components may come in any order, with or without a space after the comma.
  auto parsed = parse_authorization(
      std::string("AWS4-HMAC-SHA256 Signature=") + kSig +
      ",SignedHeaders=host;x-amz-date,  Credential=AK/20240115/us-east-1/bedrock/aws4_request ");
  ASSERT_TRUE(parsed) << parsed.error().message;
  EXPECT_EQ(parsed->access_key_id, "AK");
  EXPECT_EQ(parsed->signed_headers, (std::vector<std::string>{"host", "x-amz-date"}));
  EXPECT_EQ(parsed->signature, kSig);
}

TEST(ParseAuthorization, NonSigV4IsMissingAuthentication) {
  // Empty, Bearer and other schemes are "no SigV4 credentials", not a bad signature.
  for (const char* value :
       {"", "   ", "Bearer abc", "AWS4-HMAC-SHA256X Credential=a", "AWS AKID:sig"}) {
    auto parsed = parse_authorization(value);
    ASSERT_FALSE(parsed) << value;
    EXPECT_EQ(parsed.error().code, ErrorCode::MissingAuthentication) << value;
  }
}

TEST(ParseAuthorization, RejectsMalformedSigV4) {
  // Every structural defect is an InvalidSignature error naming the problem.
  const std::string good_cred = "Credential=AK/20240115/us-east-1/bedrock/aws4_request";
  const std::string good_sh = "SignedHeaders=host;x-amz-date";
  const std::string good_sig = std::string("Signature=") + kSig;
  struct Case {
    std::string value;
    std::string message_part;
  } cases[] = {
      {"AWS4-HMAC-SHA256", "is not name=value"},
      {"AWS4-HMAC-SHA256 " + good_sh + ", " + good_sig, "missing Credential"},
      {"AWS4-HMAC-SHA256 " + good_cred + ", " + good_sig, "missing SignedHeaders"},
      {"AWS4-HMAC-SHA256 " + good_cred + ", " + good_sh, "missing Signature"},
      {"AWS4-HMAC-SHA256 " + good_cred + ", " + good_cred + ", " + good_sh + ", " + good_sig,
       "duplicate component 'Credential'"},
      {"AWS4-HMAC-SHA256 " + good_cred + ", Foo=bar, " + good_sh + ", " + good_sig,
       "unknown component 'Foo'"},
      {"AWS4-HMAC-SHA256 Credential=AK/20240115/us-east-1/bedrock, " + good_sh + ", " + good_sig,
       "Credential must be"},
      {"AWS4-HMAC-SHA256 Credential=AK/2024011/us-east-1/bedrock/aws4_request, " + good_sh + ", " +
           good_sig,
       "YYYYMMDD"},
      {"AWS4-HMAC-SHA256 Credential=/20240115/us-east-1/bedrock/aws4_request, " + good_sh + ", " +
           good_sig,
       "empty part"},
      {"AWS4-HMAC-SHA256 " + good_cred + ", SignedHeaders=, " + good_sig, "SignedHeaders is empty"},
      {"AWS4-HMAC-SHA256 " + good_cred + ", SignedHeaders=host;;x, " + good_sig, "empty name"},
      {"AWS4-HMAC-SHA256 " + good_cred + ", " + good_sh + ", Signature=abc", "64 lower-case hex"},
      {"AWS4-HMAC-SHA256 " + good_cred + ", " + good_sh + ", Signature=" + std::string(64, 'A'),
       "64 lower-case hex"},
  };
  for (const auto& c : cases) {
    auto parsed = parse_authorization(c.value);
    ASSERT_FALSE(parsed) << c.value;
    EXPECT_EQ(parsed.error().code, ErrorCode::InvalidSignature) << c.value;
    EXPECT_NE(parsed.error().message.find(c.message_part), std::string::npos)
        << c.value << " -> " << parsed.error().message;
  }
}

}  // namespace
}  // namespace bedrock::auth::sigv4
