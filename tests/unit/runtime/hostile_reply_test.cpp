// Replies a hostile or broken peer sends, and credential providers that misbehave: every one
// ends in a typed error or a bounded result, never a crash, a hang or an exception.
#include <gtest/gtest.h>

#include <stdexcept>

#include "bedrock/core/utf8.h"
#include "runtime/error_classifier.h"
#include "runtime/retry_policy.h"
#include "tests/unit/runtime/client_test_support.h"

namespace bedrock::runtime {
namespace {

using testing_support::error_headers;
using testing_support::Harness;
using testing_support::kHaiku;

std::string nested_arrays(std::size_t depth) {
  return std::string(depth, '[') + std::string(depth, ']');
}

Result<InvokeResult> converse(Harness& h) {
  InvokeRequest req;
  req.model_id = kHaiku;
  req.prompt = models::Prompt::from_user("hi");
  req.use_converse = true;
  return h.client->invoke(req);
}

// A Converse reply hiding 100,000 nested arrays in its content is refused before the decoder
// walks it.
TEST(HostileReply, DeeplyNestedConverseReplyIsInvalidResponse) {
  Harness h;
  h.transport->push_response(
      200,
      R"({"output":{"message":{"role":"assistant","content":[{"text":"ok"},)" +
          nested_arrays(100000) + R"(]}},"stopReason":"end_turn"})",
      {{"x-amzn-RequestId", "rid-deep"}});
  auto r = converse(h);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, ErrorCode::InvalidResponse);
  EXPECT_NE(r.error().message.find("deeper than"), std::string::npos) << r.error().message;
  EXPECT_EQ(r.error().request_id, "rid-deep");
}

// The same for a model family's native reply (InvokeModel).
TEST(HostileReply, DeeplyNestedInvokeReplyIsInvalidResponse) {
  Harness h;
  h.transport->push_response(200, R"({"type":"message","content":[{"type":"text","text":"x"}],)"
                                  R"("extra":)" +
                                      nested_arrays(100000) + "}");
  auto r = h.client->invoke(kHaiku, models::Prompt::from_user("hi"));
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, ErrorCode::InvalidResponse);
}

// An error body nested 100,000 deep is classified by status and header, its text kept bounded.
TEST(HostileReply, DeeplyNestedErrorBodyIsClassified) {
  const std::string body = R"({"message":)" + nested_arrays(100000) + "}";
  Error e = classify_http_error(400, error_headers("ValidationException"), body);
  EXPECT_EQ(e.code, ErrorCode::Validation);
  EXPECT_LE(e.message.size(), 1100u);
  EXPECT_EQ(e.message.rfind(R"({"message":[[[)", 0), 0u) << e.message.substr(0, 40);
}

// Invalid UTF-8 from the peer (JSON message, non-JSON body, headers) never reaches an Error:
// the message is repaired, so it can be shown and dumped as JSON.
TEST(HostileReply, InvalidUtf8InErrorsIsReplaced) {
  Error json_error = classify_http_error(400, error_headers("ValidationException", "rid\xFF"),
                                         "{\"message\":\"bad \\udc80 input\"}");
  EXPECT_TRUE(is_valid_utf8(json_error.message)) << json_error.message;
  EXPECT_TRUE(is_valid_utf8(json_error.request_id));
  Error text_error = classify_http_error(502, {}, "<html>\xC3\x28 gateway \xFF</html>");
  EXPECT_TRUE(is_valid_utf8(text_error.message));
  EXPECT_NE(text_error.message.find("gateway"), std::string::npos);
  Error typed = classify_http_error(400, {{"x-amzn-ErrorType", "Bad\xFE"}}, "{}");
  EXPECT_TRUE(is_valid_utf8(typed.aws_type));
}

// A long message is cut between characters, not inside one.
TEST(HostileReply, LongErrorMessageIsCutOnACharacterBoundary) {
  std::string message;
  while (message.size() < 3000) message += "\xE2\x82\xAC";  // "€" repeated
  Error e = classify_http_error(400, error_headers("ValidationException"),
                                R"({"message":")" + message + R"("})");
  EXPECT_TRUE(is_valid_utf8(e.message));
  EXPECT_LT(e.message.size(), 1100u);
  EXPECT_EQ(e.message.substr(e.message.size() - 3), "...");
}

// A guardrail id with invalid UTF-8 is a Validation error before sending, not a type_error
// thrown out of invoke() by dump().
TEST(HostileReply, InvalidUtf8GuardrailIsAValidationError) {
  Harness h;
  InvokeRequest req;
  req.model_id = kHaiku;
  req.prompt = models::Prompt::from_user("hi");
  req.use_converse = true;
  req.guardrail_id = "gr\xFF";
  req.guardrail_version = "1";
  auto r = h.client->invoke(req);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, ErrorCode::Validation);
  EXPECT_EQ(h.transport->calls(), 0u);
}

class ThrowingCredentials final : public credentials::CredentialsProvider {
 public:
  Result<auth::Credentials> get() override { throw std::runtime_error("vault unreachable"); }
  std::string_view name() const override { return "throwing"; }
};

// An application's credentials provider that throws fails the call with a typed error.
TEST(HostileReply, ThrowingCredentialsProviderIsATypedError) {
  Harness h;
  ClientOptions o;
  o.region = "us-east-1";
  o.endpoint_url = "https://bedrock-runtime.us-east-1.amazonaws.com";
  o.transport = h.transport;
  o.clock = &h.clock;
  o.random = std::make_shared<FixedRandom>(0.5);
  o.credentials = std::make_shared<ThrowingCredentials>();
  auto client = BedrockClient::create(std::move(o));
  ASSERT_TRUE(client) << client.error().message;
  auto r = (*client)->invoke(kHaiku, models::Prompt::from_user("hi"));
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, ErrorCode::Unknown);
  EXPECT_NE(r.error().message.find("vault unreachable"), std::string::npos);
  EXPECT_EQ(h.transport->calls(), 0u);
}

// Legacy mode's uncapped backoff (2^(n-1) s) saturates instead of wrapping into a negative
// delay at --max-attempts 100.
TEST(HostileReply, LegacyBackoffSaturates) {
  RetryPolicy legacy = RetryPolicy::for_mode(config::RetryMode::Legacy, 100);
  for (int attempt : {40, 64, 80, 99}) {
    const Duration d = RetryState::backoff(legacy, attempt, 0.5);
    EXPECT_GT(d, std::chrono::hours{24 * 365}) << attempt;
  }
}

// A timeout of "as long as possible" is a deadline far in the future, not one in the past.
TEST(HostileReply, HugeTimeoutIsNotADeadlineInThePast) {
  Harness h;
  h.transport->push_response(200, testing_support::anthropic_body("fine"));
  InvokeRequest req;
  req.model_id = kHaiku;
  req.prompt = models::Prompt::from_user("hi");
  req.timeout = std::chrono::milliseconds::max();
  auto r = h.client->invoke(req);
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ(r->completion.text, "fine");
}

}  // namespace
}  // namespace bedrock::runtime
