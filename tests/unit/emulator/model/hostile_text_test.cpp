// Outside text that used to recurse as deep as it was long (issue 11): credential redaction
// and JSON bodies nested without limit.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "bedrock/core/credential_scan.h"
#include "bedrock/core/json_nesting.h"
#include "bedrock/core/log.h"
#include "emulator/model/answer_text.h"
#include "test_models.h"

namespace bedrock::emulator::model {
namespace {

using namespace testing;  // NOLINT: test helpers

// The core scanner the emulator calls gives what the logger's redact() gives, on the logger's
// own cases and on near-misses around each keyword (the regex oracle is in core's tests).
TEST(CredentialScan, AgreesWithTheLoggerOnShortText) {
  const std::vector<std::string> cases = {
      "Authorization: AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830, Signature=abc",
      "authorization=Bearer abc.def",
      "sent Bearer sk-live-123 to host",
      "X-Amz-Security-Token: FQoGZXIvYXdzEXAMPLE",
      "aws_secret_access_key = wJalrXUtnFEMI/K7MDENG",
      R"({"AccessKeyId":"AKID","SecretAccessKey":"wJal","Token":"tok"})",
      "key bedrock-api-key-YmVkcm9jay5hbWF6b25hd3M= used",
      "X-Amz-Signature=43063309c8eec1e5&Version=1",
      "a short word",
      "\"Authorization\": \"AWS4 x\", \"other\": 1",
      "authorization",
      "authorization:",
      "Authorization : \n  next line value",
      "x-amz-security-token=",
      "x-amz-security-token: \"tok\";rest",
      "X-AMZ-SIGNATURE=XYZ",
      "x-amz-signature=ABCdef99z",
      "aws_session_token:abc def aws_security_token  =  q",
      "aws_secret: nope aws_secret_access_key=",
      R"({"session_token" : "a\"b", "apiKey":"k", "api_key": 5, "token":"")",
      R"("token" "x" "token": "y)",
      "bedrock-api-key- x Bedrock-api-key-abc bedrock-api-key-a+b/c=d_e-f!",
      "bearer\tabc\"def bearer  ",
      "BEARER\nxyz bearerbearer q",
      "Authorization: Bearer abc\nBearer def",
  };
  for (const auto& text : cases) {
    EXPECT_EQ(bedrock::redact_credentials(text), bedrock::redact(text)) << text;
  }
}

// A 54 KB one-line prompt after a credential keyword is redacted without recursion.
TEST(CredentialScan, LongLinesAreLinear) {
  const std::string token(200 * 1024, 'x');
  EXPECT_EQ(bedrock::redact_credentials("Authorization: Bearer " + token), "Authorization: ****");
  EXPECT_EQ(bedrock::redact_credentials("Bearer " + token + " end"), "Bearer **** end");
  EXPECT_EQ(bedrock::redact_credentials(R"({"Token":")" + token + "\"}"), R"({"Token":"****"})");
  const std::string words = detail::redact_secrets("Authorization: Bearer " + token);
  EXPECT_EQ(words.find("xxxx"), std::string::npos);
}

// The nesting scan counts brackets outside strings only, escapes included.
TEST(JsonNesting, CountsBracketsOutsideStrings) {
  EXPECT_FALSE(json_nesting_exceeds("[[]]", 2));
  EXPECT_TRUE(json_nesting_exceeds("[[[]]]", 2));
  EXPECT_TRUE(json_nesting_exceeds(R"({"a":{"b":[1]}})", 2));
  EXPECT_FALSE(json_nesting_exceeds(R"(["[[[[", "\"[[[["])", 1));
  EXPECT_FALSE(json_nesting_exceeds("]]]]][[", 2));
  EXPECT_TRUE(json_nesting_exceeds(std::string(100000, '['), kMaxJsonNesting));
}

std::string nested(std::size_t depth) { return std::string(depth, '[') + std::string(depth, ']'); }

// Deep bodies are a ValidationException on every path into the DOM (native and Converse),
// just past the limit and far past it.
TEST(JsonNesting, DeepBodiesAreValidationErrors) {
  for (std::size_t depth : {kMaxJsonNesting + 1, std::size_t{100000}}) {
    const std::string converse =
        R"({"messages":[{"role":"user","content":[{"text":"hi","x":)" + nested(depth) + "}]}]}";
    auto c = parse_converse_request(claude_haiku(), converse);
    ASSERT_FALSE(c);
    EXPECT_EQ(c.error().aws_type, "ValidationException");
    EXPECT_NE(c.error().message.find("nest"), std::string::npos) << c.error().message;

    const std::string native =
        R"({"anthropic_version":"bedrock-2023-05-31","max_tokens":5,"messages":[{"role":"user","content":"x"}],"x":)" +
        nested(depth) + "}";
    auto n = parse_native_request(claude_haiku(), native);
    ASSERT_FALSE(n);
    EXPECT_EQ(n.error().aws_type, "ValidationException");
  }
  // Within the limit the body is parsed as before (the extra member is ignored by Converse).
  const std::string ok = R"({"messages":[{"role":"user","content":[{"text":"hi"}]}],"x":)" +
                         nested(kMaxJsonNesting - 3) + "}";
  EXPECT_TRUE(parse_converse_request(claude_haiku(), ok));
}

}  // namespace
}  // namespace bedrock::emulator::model
