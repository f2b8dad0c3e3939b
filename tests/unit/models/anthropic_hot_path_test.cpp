// The Anthropic codec writes bodies without a DOM and reads well-formed replies with
// simdjson, falling back to the full reader for anything unusual. These tests hold both
// shortcuts to what nlohmann (the reference reader/writer of every other codec) produces.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <string>

#include "bedrock/models/codec.h"
#include "bedrock/models/registry.h"
#include "codec_test_support.h"

namespace bedrock::models {
namespace {

const ModelCodec& codec() { return codec_for(ModelFamily::AnthropicMessages); }

ModelInfo haiku() { return testing::model("anthropic.claude-3-haiku-20240307-v1:0"); }

// What the codec printed before it stopped using a DOM: nlohmann::ordered_json, in order.
std::string reference_body(const Prompt& prompt, const InferenceParams& params, int max_tokens) {
  nlohmann::ordered_json body;
  body["anthropic_version"] = "bedrock-2023-05-31";
  body["max_tokens"] = max_tokens;
  if (!prompt.system.empty()) body["system"] = prompt.system;
  auto messages = nlohmann::ordered_json::array();
  for (const auto& m : prompt.messages) {
    nlohmann::ordered_json block;
    block["type"] = "text";
    block["text"] = m.text;
    messages.push_back({{"role", m.role == Role::User ? "user" : "assistant"},
                        {"content", nlohmann::ordered_json::array({block})}});
  }
  body["messages"] = messages;
  if (params.temperature) body["temperature"] = *params.temperature;
  if (params.top_p) body["top_p"] = *params.top_p;
  if (params.top_k) body["top_k"] = *params.top_k;
  if (!params.stop_sequences.empty()) body["stop_sequences"] = params.stop_sequences;
  return body.dump();
}

TEST(AnthropicEncode, EveryAsciiByteIsEscapedExactlyAsNlohmannDoes) {
  std::string text = "start";
  for (int c = 1; c < 128; ++c) text.push_back(static_cast<char>(c));
  text += "caf\xC3\xA9 \xF0\x9F\x98\x80 \"quoted\" back\\slash";
  Prompt prompt = Prompt::from_user(text);
  prompt.system = std::string("sys\ttab\nline\x01\x1f") + "\xE2\x82\xAC";
  InferenceParams params;
  params.max_tokens = 100;
  auto body = codec().encode(prompt, params, haiku());
  ASSERT_TRUE(body.has_value()) << body.error().message;
  EXPECT_EQ(*body, reference_body(prompt, params, 100));
}

TEST(AnthropicEncode, ConversationsAndEveryParameterMatchTheReferenceWriter) {
  Prompt prompt;
  prompt.messages = {{Role::User, "first"}, {Role::Assistant, "reply"}, {Role::User, "second"}};
  for (double temperature : {0.0, 0.1, 0.7, 1.0, 0.333333333333}) {
    InferenceParams params;
    params.temperature = temperature;
    params.top_p = 0.95;
    params.top_k = 250;
    params.stop_sequences = {"\n\nHuman:", "END"};
    auto body = codec().encode(prompt, params, haiku());
    ASSERT_TRUE(body.has_value()) << body.error().message;
    EXPECT_EQ(*body, reference_body(prompt, params, kDefaultMaxTokens)) << temperature;
    EXPECT_TRUE(nlohmann::json::accept(*body));
  }
}

TEST(AnthropicDecode, WellFormedReplyWithThinkingToolUseAndUnicodeEscapes) {
  const std::string body = R"({"id":"msg_1","type":"message","role":"assistant",
    "content":[{"type":"thinking","thinking":"let me think","signature":"abc"},
               {"type":"text","text":"caf\u00e9 "},
               {"type":"tool_use","id":"t","name":"f","input":{"a":[1,2,{"b":null}]}},
               {"type":"text","text":"\ud83d\ude00 done"}],
    "stop_reason":"end_turn","stop_sequence":null,
    "usage":{"input_tokens":12,"output_tokens":7,"cache_read_input_tokens":0}})";
  auto out = codec().decode(body);
  ASSERT_TRUE(out.has_value()) << out.error().message;
  EXPECT_EQ(out->text, "caf\xC3\xA9 \xF0\x9F\x98\x80 done");
  EXPECT_EQ(out->reasoning, "let me think");
  EXPECT_EQ(out->stop_reason, StopReason::EndTurn);
  EXPECT_EQ(out->raw_stop_reason, "end_turn");
  EXPECT_TRUE(out->usage.reported);
  EXPECT_EQ(out->usage.input_tokens, 12);
  EXPECT_EQ(out->usage.output_tokens, 7);
}

TEST(AnthropicDecode, UsageIsReportedOnlyWhenBothCountsAreNonNegativeIntegers) {
  const char* partial[] = {
      R"({"content":[],"usage":{"input_tokens":12}})",
      R"({"content":[],"usage":{"input_tokens":12,"output_tokens":7.0}})",
      R"({"content":[],"usage":{"input_tokens":-1,"output_tokens":7}})",
      R"({"content":[],"usage":{"input_tokens":12,"output_tokens":99999999999}})",
      R"({"content":[],"usage":[12,7]})",
      R"({"content":[],"stop_reason":null})",
  };
  for (const char* body : partial) {
    auto out = codec().decode(body);
    ASSERT_TRUE(out.has_value()) << body << ": " << out.error().message;
    EXPECT_FALSE(out->usage.reported) << body;
    EXPECT_EQ(out->text, "") << body;
    EXPECT_EQ(out->raw_stop_reason, "") << body;
  }
}

TEST(AnthropicDecode, DuplicateKeysKeepTheLastValueAsTheFullReaderDoes) {
  auto out = codec().decode(
      R"({"stop_reason":"max_tokens","content":[{"type":"text","text":"a","text":"b"}],)"
      R"("stop_reason":"end_turn"})");
  ASSERT_TRUE(out.has_value()) << out.error().message;
  EXPECT_EQ(out->text, "b");
  EXPECT_EQ(out->stop_reason, StopReason::EndTurn);
  const auto full = nlohmann::json::parse(R"({"k":1,"k":2})");
  EXPECT_EQ(full["k"], 2) << "the full reader's rule this test relies on";
}

TEST(AnthropicDecode, MalformedRepliesGetTheFullReadersDiagnostics) {
  struct Case {
    const char* body;
    const char* message_part;
  };
  const Case cases[] = {
      {R"({"content":[{"type":"text","text":"x"}])", "not valid JSON"},
      {R"([{"type":"text","text":"x"}])", "not a JSON object"},
      {R"({"stop_reason":"end_turn"})", "no content array"},
      {R"({"content":{"type":"text"}})", "no content array"},
      {R"({"content":[{"type":"text"}]})", "text block without text"},
      {R"({"content":[{"type":"text","text":42}]})", "text block without text"},
      {"{\"content\":[{\"type\":\"text\",\"text\":\"\xC3\x28\"}]}", "not valid JSON"},
  };
  for (const auto& c : cases) {
    auto out = codec().decode(c.body);
    ASSERT_FALSE(out.has_value()) << c.body;
    EXPECT_EQ(out.error().code, ErrorCode::InvalidResponse) << c.body;
    EXPECT_NE(out.error().message.find(c.message_part), std::string::npos)
        << c.body << " -> " << out.error().message;
  }
}

TEST(AnthropicDecode, NonObjectBlocksAndUnknownTypesAreSkipped) {
  auto out = codec().decode(
      R"({"content":[1,"s",null,{"type":"image"},{"text":"no type"},{"type":"text","text":"ok"}]})");
  ASSERT_TRUE(out.has_value()) << out.error().message;
  EXPECT_EQ(out->text, "ok");
}

}  // namespace
}  // namespace bedrock::models
