#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "bedrock/core/base64.h"
#include "bedrock/runtime/bedrock_client.h"
#include "client_test_support.h"

namespace bedrock::runtime {
namespace {

using namespace testing_support;

// CountTokens wraps the native body, base64-encoded, and reads {"inputTokens": N}.
TEST(ClientCountTokens, InvokeModelFormSendsBase64NativeBody) {
  Harness h;
  h.transport->push_response(200, R"({"inputTokens":42})", {{"x-amzn-RequestId", "rid-7"}});
  auto r = h.client->count_tokens(kHaiku, models::Prompt::from_user("count me"));
  ASSERT_TRUE(r.has_value()) << describe(r.error());
  EXPECT_EQ(r->input_tokens, 42);
  EXPECT_EQ(r->record.input_tokens, 42);
  EXPECT_EQ(r->record.output_tokens, 0);
  EXPECT_EQ(r->record.cost_usd, 0);
  EXPECT_EQ(r->record.request_id, "rid-7");
  auto sent = h.transport->requests();
  ASSERT_EQ(sent.size(), 1u);
  EXPECT_NE(sent[0].url.find("/model/anthropic.claude-3-haiku-20240307-v1%3A0/count-tokens"),
            std::string::npos);
  EXPECT_FALSE(header(sent[0], "X-Amzn-Bedrock-Accept").has_value());
  auto doc = nlohmann::json::parse(sent[0].body);
  ASSERT_TRUE(doc["input"]["invokeModel"]["body"].is_string());
  auto native = base64_decode(doc["input"]["invokeModel"]["body"].get<std::string>());
  ASSERT_TRUE(native.has_value());
  auto inner = nlohmann::json::parse(*native);
  EXPECT_EQ(inner["messages"][0]["content"][0]["text"], "count me");
  EXPECT_EQ(inner["anthropic_version"], "bedrock-2023-05-31");
  ASSERT_EQ(h.sink->records.size(), 1u);
}

// The Converse form carries only ConverseTokensRequest's members.
TEST(ClientCountTokens, ConverseFormCarriesMessagesAndSystemOnly) {
  Harness h;
  h.transport->push_response(200, R"({"inputTokens":9})");
  InvokeRequest req;
  req.model_id = kLlama;
  req.prompt = models::Prompt::from_user("hello");
  req.prompt.system = "be brief";
  req.params.max_tokens = 50;
  req.use_converse = true;
  auto r = h.client->count_tokens(req);
  ASSERT_TRUE(r.has_value()) << describe(r.error());
  EXPECT_EQ(r->input_tokens, 9);
  auto doc = nlohmann::json::parse(h.transport->requests().at(0).body);
  const auto& c = doc["input"]["converse"];
  EXPECT_EQ(c["messages"][0]["content"][0]["text"], "hello");
  EXPECT_EQ(c["system"][0]["text"], "be brief");
  EXPECT_FALSE(c.contains("inferenceConfig"));
  EXPECT_EQ(doc["input"].size(), 1u);
}

// Throttling is retried as for any call; a malformed answer is InvalidResponse.
TEST(ClientCountTokens, RetriesAndRejectsMalformedAnswers) {
  Harness h;
  h.transport->push_response(429, "{}", error_headers("ThrottlingException"));
  h.transport->push_response(200, R"({"inputTokens":3})");
  auto r = h.client->count_tokens(kHaiku, models::Prompt::from_user("x"));
  ASSERT_TRUE(r.has_value()) << describe(r.error());
  EXPECT_EQ(r->input_tokens, 3);
  EXPECT_EQ(r->record.attempts, 2);
  for (const char* bad : {R"({"inputTokens":-1})", R"({"inputTokens":"7"})", "[]", "{"}) {
    h.transport->push_response(200, bad);
    auto b = h.client->count_tokens(kHaiku, models::Prompt::from_user("x"));
    ASSERT_FALSE(b.has_value()) << bad;
    EXPECT_EQ(b.error().code, ErrorCode::InvalidResponse) << bad;
  }
}

// Profiles are never substituted: CountTokens takes foundation-model ids only.
TEST(ClientCountTokens, NoProfileSubstitution) {
  Harness h;
  h.transport->push_response(400, R"({"message":"This model doesn't support counting tokens."})",
                             error_headers("ValidationException"));
  auto r = h.client->count_tokens("deepseek.r1-v1:0", models::Prompt::from_user("x"));
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().code, ErrorCode::Validation);
  EXPECT_NE(h.transport->requests().at(0).url.find("/model/deepseek.r1-v1%3A0/count-tokens"),
            std::string::npos);
  EXPECT_EQ(h.transport->calls(), 1u);
}

}  // namespace
}  // namespace bedrock::runtime
