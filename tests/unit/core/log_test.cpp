#include "bedrock/core/log.h"

#include <gtest/gtest.h>
#include <spdlog/sinks/ostream_sink.h>

#include <sstream>
#include <string>

namespace bedrock {
namespace {

// Authorization headers are masked whatever their scheme.
TEST(Redact, AuthorizationHeaders) {
  std::string sigv4 =
      "Authorization: AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20240115/us-east-1/bedrock/"
      "aws4_request, SignedHeaders=host, Signature=457990cca69a";
  EXPECT_EQ(redact(sigv4), "Authorization: ****");
  EXPECT_EQ(redact("authorization=Bearer abc.def"), "authorization=****");
  EXPECT_EQ(redact("sent Bearer sk-live-123 to host"), "sent Bearer **** to host");
}

// Session tokens, secret keys in INI and JSON form, and Bedrock API keys are masked.
TEST(Redact, SecretsInCommonShapes) {
  EXPECT_EQ(redact("X-Amz-Security-Token: FQoGZXIvYXdzEXAMPLE"), "X-Amz-Security-Token: ****");
  EXPECT_EQ(redact("aws_secret_access_key = wJalrXUtnFEMI/K7MDENG"),
            "aws_secret_access_key = ****");
  EXPECT_EQ(redact(R"({"AccessKeyId":"AKID","SecretAccessKey":"wJal","Token":"tok"})"),
            R"({"AccessKeyId":"AKID","SecretAccessKey":"****","Token":"****"})");
  EXPECT_EQ(redact("key bedrock-api-key-YmVkcm9jay5hbWF6b25hd3M= used"),
            "key bedrock-api-key-**** used");
  EXPECT_EQ(redact("X-Amz-Signature=43063309c8eec1e5&Version=1"), "X-Amz-Signature=****&Version=1");
}

// A registered literal secret is masked anywhere, even in text no rule recognises.
TEST(Redact, RegisteredSecret) {
  register_secret("wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY");
  EXPECT_EQ(redact("oops wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY leaked"), "oops **** leaked");
  register_secret("short");  // ignored: too short to mask safely
  EXPECT_EQ(redact("a short word"), "a short word");
}

// The registry keeps the latest kMaxRegisteredSecrets secrets: one more forgets the oldest,
// and registering a known one again does not grow it.
TEST(Redact, RegisteredSecretsAreBounded) {
  auto secret = [](std::size_t i) { return "bounded-secret-" + std::to_string(i) + "-value"; };
  for (std::size_t i = 0; i <= kMaxRegisteredSecrets; ++i) {
    register_secret(secret(i));
    register_secret(secret(i));
  }
  EXPECT_EQ(redact(secret(0)), secret(0));
  EXPECT_EQ(redact(secret(1)), "****");
  EXPECT_EQ(redact(secret(kMaxRegisteredSecrets)), "****");
}

// Text without secrets passes through unchanged.
TEST(Redact, PlainTextUnchanged) {
  EXPECT_EQ(redact("invoke anthropic.claude-3-haiku-20240307-v1:0 took 120 ms"),
            "invoke anthropic.claude-3-haiku-20240307-v1:0 took 120 ms");
}

// The logger itself redacts: a secret passed to logger() never reaches the sink.
TEST(Logger, SinkReceivesRedactedText) {
  std::ostringstream out;
  set_log_sink(std::make_shared<spdlog::sinks::ostream_sink_mt>(out));
  set_log_level(spdlog::level::debug);
  logger()->warn("request headers: Authorization: AWS4-HMAC-SHA256 Credential=AK/x, Signature=ff");
  logger()->flush();
  EXPECT_NE(out.str().find("Authorization: ****"), std::string::npos) << out.str();
  EXPECT_EQ(out.str().find("Signature=ff"), std::string::npos) << out.str();
  set_log_level(spdlog::level::warn);
}

}  // namespace
}  // namespace bedrock
