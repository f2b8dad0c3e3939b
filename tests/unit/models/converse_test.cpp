#include "bedrock/models/converse.h"

#include <gtest/gtest.h>

#include "codec_test_support.h"

namespace bedrock::models {
namespace {

using nlohmann::json;
using testing::golden_json;

// The docs/wire-protocol.md §8.1 example: system + user, inferenceConfig, top_k via additional
// fields.
TEST(ConverseEncode, MatchesGolden) {
  InferenceParams params;
  params.max_tokens = 256;
  params.temperature = 0.5;
  params.top_p = 0.9;
  params.top_k = 200;
  params.stop_sequences = {"END"};
  auto body = encode_converse(testing::system_user_prompt(), params,
                              testing::model("anthropic.claude-3-haiku-20240307-v1:0"));
  ASSERT_TRUE(body.has_value()) << body.error().message;
  EXPECT_EQ(json::parse(*body), golden_json("converse/request.json"));
}

// Multi-turn conversations keep their order and roles; unset params are not sent.
TEST(ConverseEncode, MultiTurn) {
  InferenceParams params;
  params.max_tokens = 64;
  auto body = encode_converse(testing::multi_turn_prompt(), params,
                              testing::model("meta.llama3-8b-instruct-v1:0"));
  ASSERT_TRUE(body.has_value()) << body.error().message;
  EXPECT_EQ(json::parse(*body), golden_json("converse/request_multi_turn.json"));

  auto bare = encode_converse(Prompt::from_user("Hi"), {}, testing::model("amazon.nova-lite-v1:0"));
  ASSERT_TRUE(bare.has_value());
  EXPECT_EQ(json::parse(*bare),
            json::parse(R"({"messages":[{"role":"user","content":[{"text":"Hi"}]}]})"));
}

// top_k travels in each family's native spelling; families without it are rejected.
TEST(ConverseEncode, TopKPerFamily) {
  InferenceParams params;
  params.top_k = 20;
  const auto prompt = Prompt::from_user("Hi");
  auto nova = encode_converse(prompt, params, testing::model("amazon.nova-pro-v1:0"));
  ASSERT_TRUE(nova.has_value());
  EXPECT_EQ(json::parse(*nova).at("additionalModelRequestFields"),
            json::parse(R"({"inferenceConfig":{"topK":20}})"));
  auto cohere = encode_converse(prompt, params, testing::model("cohere.command-r-plus-v1:0"));
  ASSERT_TRUE(cohere.has_value());
  EXPECT_EQ(json::parse(*cohere).at("additionalModelRequestFields"), json::parse(R"({"k":20})"));
  auto mistral =
      encode_converse(prompt, params, testing::model("mistral.mistral-7b-instruct-v0:2"));
  ASSERT_TRUE(mistral.has_value());
  EXPECT_EQ(json::parse(*mistral).at("additionalModelRequestFields"),
            json::parse(R"({"top_k":20})"));

  auto llama = encode_converse(prompt, params, testing::model("meta.llama3-8b-instruct-v1:0"));
  ASSERT_FALSE(llama.has_value());
  EXPECT_EQ(llama.error().code, ErrorCode::Validation);
  EXPECT_NE(llama.error().message.find("top_k"), std::string::npos);
  EXPECT_NE(llama.error().message.find("converse (llama3)"), std::string::npos)
      << llama.error().message;
}

// Converse's own ranges apply even where the native API is wider (Jamba temperature 0..2),
// and the family's support still decides (no stop sequences for Llama).
TEST(ConverseEncode, Validation) {
  const auto prompt = Prompt::from_user("Hi");
  InferenceParams hot;
  hot.temperature = 1.5;
  auto jamba = encode_converse(prompt, hot, testing::model("ai21.jamba-1-5-large-v1:0"));
  ASSERT_FALSE(jamba.has_value());
  EXPECT_NE(jamba.error().message.find("temperature"), std::string::npos);

  InferenceParams stops;
  stops.stop_sequences = {"END"};
  auto llama = encode_converse(prompt, stops, testing::model("meta.llama3-8b-instruct-v1:0"));
  ASSERT_FALSE(llama.has_value());
  EXPECT_NE(llama.error().message.find("stop_sequences"), std::string::npos);

  InferenceParams too_many;
  too_many.max_tokens = 4097;
  auto haiku =
      encode_converse(prompt, too_many, testing::model("anthropic.claude-3-haiku-20240307-v1:0"));
  ASSERT_FALSE(haiku.has_value());
  EXPECT_EQ(haiku.error().code, ErrorCode::Validation);
  EXPECT_NE(haiku.error().message.find("max_tokens"), std::string::npos);

  Prompt assistant_first;
  assistant_first.messages = {{Role::Assistant, "Hi"}};
  auto bad = encode_converse(assistant_first, {}, testing::model("amazon.nova-lite-v1:0"));
  ASSERT_FALSE(bad.has_value());
  EXPECT_NE(bad.error().message.find("messages"), std::string::npos);
}

// The docs/wire-protocol.md §8.2 example decodes to text, stop reason and usage.
TEST(ConverseDecode, ReferenceExample) {
  auto out = decode_converse(testing::read_golden("converse/response.json"));
  ASSERT_TRUE(out.has_value()) << out.error().message;
  EXPECT_EQ(out->text, "A cat sat.");
  EXPECT_EQ(out->stop_reason, StopReason::EndTurn);
  EXPECT_EQ(out->raw_stop_reason, "end_turn");
  EXPECT_TRUE(out->usage.reported);
  EXPECT_EQ(out->usage.input_tokens, 14);
  EXPECT_EQ(out->usage.output_tokens, 5);
}

// Text blocks are joined in order, reasoning is kept apart, unknown keys are ignored.
TEST(ConverseDecode, JoinsBlocksAndSeparatesReasoning) {
  auto out = decode_converse(R"({"output":{"message":{"role":"assistant","content":[
      {"reasoningContent":{"reasoningText":{"text":"Think."}}},
      {"text":"Red, "},{"text":"green."}]}},
      "stopReason":"max_tokens",
      "usage":{"inputTokens":3,"outputTokens":4,"totalTokens":7,"serverToolUsage":{}},
      "metrics":{"latencyMs":1}})");
  ASSERT_TRUE(out.has_value()) << out.error().message;
  EXPECT_EQ(out->text, "Red, green.");
  EXPECT_EQ(out->reasoning, "Think.");
  EXPECT_EQ(out->stop_reason, StopReason::MaxTokens);
}

// Each Converse stop reason maps to its StopReason.
TEST(ConverseDecode, StopReasons) {
  const std::pair<const char*, StopReason> table[] = {
      {"end_turn", StopReason::EndTurn},
      {"max_tokens", StopReason::MaxTokens},
      {"stop_sequence", StopReason::StopSequence},
      {"tool_use", StopReason::ToolUse},
      {"content_filtered", StopReason::ContentFiltered},
      {"guardrail_intervened", StopReason::ContentFiltered},
      {"model_context_window_exceeded", StopReason::MaxTokens},
      {"malformed_model_output", StopReason::Unknown}};
  for (const auto& [raw, reason] : table) {
    json body = golden_json("converse/response.json");
    body["stopReason"] = raw;
    auto out = decode_converse(body.dump());
    ASSERT_TRUE(out.has_value());
    EXPECT_EQ(out->stop_reason, reason) << raw;
    EXPECT_EQ(out->raw_stop_reason, raw);
  }
}

// Bodies without output.message.content are InvalidResponse; missing usage is not reported.
TEST(ConverseDecode, Malformed) {
  for (const char* body :
       {"", "{", "[]", "{}", R"({"output":{}})", R"({"output":{"message":{"content":"text"}}})",
        R"({"output":{"message":{"content":[{"text":5}]}}})"}) {
    auto out = decode_converse(body);
    ASSERT_FALSE(out.has_value()) << body;
    EXPECT_EQ(out.error().code, ErrorCode::InvalidResponse) << body;
  }
  auto no_usage = decode_converse(R"({"output":{"message":{"content":[{"text":"x"}]}}})");
  ASSERT_TRUE(no_usage.has_value());
  EXPECT_FALSE(no_usage->usage.reported);
  EXPECT_EQ(no_usage->stop_reason, StopReason::Unknown);
}

}  // namespace
}  // namespace bedrock::models
