// Converse reasoning round trip: reasoningContent blocks (text with signature, redacted content)
// decoded per block, passed back unchanged through assistant_turn(), and the Claude thinking
// budget in additionalModelRequestFields. Bodies written from docs/wire-protocol.md §8 with the
// service model's field names.
#include <gtest/gtest.h>

#include "bedrock/models/codec.h"
#include "bedrock/models/converse.h"
#include "codec_test_support.h"
#include "stream_test_support.h"

namespace bedrock::models {
namespace {

using nlohmann::json;
using testing::golden_json;

constexpr const char* kClaude37 = "anthropic.claude-3-7-sonnet-20250219-v1:0";

InferenceParams thinking(int max_tokens, int budget) {
  InferenceParams params;
  params.max_tokens = max_tokens;
  params.reasoning_budget_tokens = budget;
  return params;
}

Prompt weather_question() {
  Prompt p = Prompt::from_user("Weather in Paris?");
  p.tools.tools.push_back(
      {"get_weather", "", R"({"type":"object","properties":{"city":{"type":"string"}}})"});
  return p;
}

// Each reasoning block comes back whole, in order, beside the joined reasoning text.
TEST(ConverseReasoning, DecodesBlocks) {
  auto out = decode_converse(testing::read_golden("converse/response_reasoning.json"));
  ASSERT_TRUE(out.has_value()) << out.error().message;
  EXPECT_EQ(out->reasoning, "User wants the weather.");
  ASSERT_EQ(out->reasoning_blocks.size(), 2u);
  EXPECT_EQ(out->reasoning_blocks[0].text, "User wants the weather.");
  EXPECT_EQ(out->reasoning_blocks[0].signature, "EqQBCgIYAhIM");
  EXPECT_EQ(out->reasoning_blocks[1].redacted, "AAECAwQ=");
  EXPECT_TRUE(out->reasoning_blocks[1].text.empty());

  auto bad = decode_converse(
      R"({"output":{"message":{"content":[{"reasoningContent":{"reasoningText":{"text":3}}}]}}})");
  ASSERT_FALSE(bad.has_value());
  EXPECT_EQ(bad.error().code, ErrorCode::InvalidResponse);
}

// The answer goes back as the next request's assistant turn byte for byte: reasoning first, then
// text and the tool call; the budget travels as Claude's thinking field.
TEST(ConverseReasoning, AnswerSentBackUnchanged) {
  auto answer = decode_converse(testing::read_golden("converse/response_reasoning.json"));
  ASSERT_TRUE(answer.has_value());
  Prompt next = weather_question();
  next.messages.push_back(assistant_turn(*answer));
  Message result{Role::User, ""};
  result.tool_results.push_back({"tooluse_1", "18 C, clear"});
  next.messages.push_back(result);
  auto body = encode_converse(next, thinking(4096, 2048), testing::model(kClaude37));
  ASSERT_TRUE(body.has_value()) << body.error().message;
  EXPECT_EQ(json::parse(*body), golden_json("converse/request_reasoning.json"));
}

// The streamed answer yields the same blocks, so it goes back the same way.
TEST(ConverseReasoning, StreamedBlocksMatchNonStreamed) {
  const std::string bytes =
      testing::frame_converse_events(testing::read_lines("streams/converse.events.jsonl"));
  auto events = testing::decode_converse_bytes(bytes);
  ASSERT_TRUE(events.has_value()) << events.error().message;
  auto streamed = testing::accumulate(*events).finish();
  ASSERT_TRUE(streamed.has_value()) << streamed.error().message;
  auto whole = decode_converse(testing::read_golden("streams/converse.body.json"));
  ASSERT_TRUE(whole.has_value());
  ASSERT_EQ(streamed->reasoning_blocks.size(), 1u);
  ASSERT_EQ(whole->reasoning_blocks.size(), 1u);
  EXPECT_EQ(streamed->reasoning_blocks[0].text, whole->reasoning_blocks[0].text);
  EXPECT_EQ(streamed->reasoning_blocks[0].signature, whole->reasoning_blocks[0].signature);
  const Message again = assistant_turn(*streamed);
  EXPECT_EQ(again.role, Role::Assistant);
  EXPECT_EQ(again.text, "Hello.");
  ASSERT_EQ(again.tool_uses.size(), 1u);
  EXPECT_EQ(again.tool_uses[0].input_json, whole->tool_calls[0].input_json);
}

// The budget only where Claude thinks, within Anthropic's rules; native bodies refuse it.
TEST(ConverseReasoning, BudgetValidation) {
  const auto prompt = Prompt::from_user("Hi");
  const auto message_of = [&](const InferenceParams& params, const char* model_id) {
    auto body = encode_converse(prompt, params, testing::model(model_id));
    EXPECT_FALSE(body.has_value()) << model_id;
    return body ? std::string() : body.error().message;
  };
  EXPECT_NE(message_of(thinking(4096, 2048), "anthropic.claude-3-5-sonnet-20241022-v2:0")
                .find("extended thinking"),
            std::string::npos);
  EXPECT_NE(message_of(thinking(4096, 2048), "amazon.nova-pro-v1:0").find("extended thinking"),
            std::string::npos);
  EXPECT_NE(message_of(thinking(4096, 512), kClaude37).find("1024"), std::string::npos);
  EXPECT_NE(message_of(thinking(2048, 2048), kClaude37).find("max_tokens"), std::string::npos);
  InferenceParams hot = thinking(4096, 2048);
  hot.temperature = 0.2;
  EXPECT_NE(message_of(hot, kClaude37).find("temperature"), std::string::npos);

  auto ok = encode_converse(prompt, thinking(8000, 4000),
                            testing::model("anthropic.claude-sonnet-4-20250514-v1:0"));
  ASSERT_TRUE(ok.has_value()) << ok.error().message;
  EXPECT_EQ(json::parse(*ok).at("additionalModelRequestFields"),
            json::parse(R"({"thinking":{"type":"enabled","budget_tokens":4000}})"));

  auto native = codec_for(ModelFamily::AnthropicMessages)
                    .encode(prompt, thinking(4096, 2048), testing::model(kClaude37));
  ASSERT_FALSE(native.has_value());
  EXPECT_NE(native.error().message.find("Converse"), std::string::npos);
}

// Reasoning belongs to the assistant: a user turn carrying it is refused.
TEST(ConverseReasoning, OnlyInAssistantTurns) {
  Prompt p = Prompt::from_user("Hi");
  p.messages[0].reasoning.push_back({"thought", "sig", ""});
  auto body = encode_converse(p, {}, testing::model(kClaude37));
  ASSERT_FALSE(body.has_value());
  EXPECT_NE(body.error().message.find("user turn with reasoning"), std::string::npos);
}

}  // namespace
}  // namespace bedrock::models
