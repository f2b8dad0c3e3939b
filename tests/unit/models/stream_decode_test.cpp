// Stream decoding against golden chunk sequences (tests/data/models/streams, written from the
// stream shapes of docs/wire-protocol.md §7 and §9.4): the accumulated stream equals the
// non-streamed decode of the equivalent whole body, and deltas stay apart per content block.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "bedrock/models/codec.h"
#include "bedrock/models/converse.h"
#include "stream_test_support.h"

namespace bedrock::models {
namespace {

using F = ModelFamily;

struct GoldenStream {
  F family;
  const char* name;  // file stem under tests/data/models/streams/
  int input_tokens;  // the last chunk's invocation metrics
  int output_tokens;
  int invocation_latency;
};

std::vector<GoldenStream> golden_streams() {
  return {
      {F::AnthropicMessages, "anthropic-messages", 18, 6, 412},
      {F::AnthropicMessages, "anthropic-messages-tools", 40, 31, 900},
      {F::AnthropicText, "anthropic-text", 16, 7, 350},
      {F::TitanText, "titan-text", 9, 7, 520},
      {F::Nova, "nova", 12, 5, 300},
      {F::Llama3, "llama3", 17, 7, 410},
      {F::Llama2, "llama3", 17, 7, 410},  // Llama 2 streams the same shape
      {F::MistralText, "mistral-text", 14, 6, 330},
      {F::DeepSeek, "deepseek", 20, 15, 900},
  };
}

class GoldenInvokeStream : public ::testing::TestWithParam<GoldenStream> {};

// The folded stream is what decode() returns for the whole body, usage included.
TEST_P(GoldenInvokeStream, AccumulatesToTheNonStreamedDecode) {
  const auto& g = GetParam();
  const std::string stem = std::string("streams/") + g.name;
  const std::string bytes = testing::frame_chunks(testing::read_lines(stem + ".chunks.jsonl"));
  ASSERT_FALSE(bytes.empty());
  auto whole = codec_for(g.family).decode(testing::read_golden(stem + ".body.json"));
  ASSERT_TRUE(whole.has_value()) << whole.error().message;

  for (std::size_t piece : {std::size_t{1}, std::size_t{7}, bytes.size()}) {
    auto events = testing::decode_invoke_bytes(bytes, g.family, piece);
    ASSERT_TRUE(events.has_value()) << events.error().message;
    const auto acc = testing::accumulate(*events);
    auto streamed = acc.finish();
    ASSERT_TRUE(streamed.has_value()) << streamed.error().message;
    EXPECT_EQ(streamed->text, whole->text);
    EXPECT_EQ(streamed->reasoning, whole->reasoning);
    EXPECT_EQ(streamed->stop_reason, whole->stop_reason);
    EXPECT_EQ(streamed->raw_stop_reason, whole->raw_stop_reason);
    ASSERT_TRUE(streamed->usage.reported);
    if (whole->usage.reported) {
      EXPECT_EQ(streamed->usage.input_tokens, whole->usage.input_tokens);
      EXPECT_EQ(streamed->usage.output_tokens, whole->usage.output_tokens);
    }
    EXPECT_EQ(streamed->usage.input_tokens, g.input_tokens);
    EXPECT_EQ(streamed->usage.output_tokens, g.output_tokens);
    EXPECT_EQ(acc.metrics().latency_ms, g.invocation_latency);
  }
}

INSTANTIATE_TEST_SUITE_P(Families, GoldenInvokeStream, ::testing::ValuesIn(golden_streams()),
                         [](const ::testing::TestParamInfo<GoldenStream>& param_info) {
                           std::string name = std::string(to_string(param_info.param.family)) +
                                              "_" + param_info.param.name;
                           for (char& ch : name) {
                             if (ch == '-') ch = '_';
                           }
                           return name;
                         });

// Text arrives as deltas, each in the order sent, before the stop.
TEST(InvokeStream, TextArrivesAsDeltasInOrder) {
  const std::string bytes =
      testing::frame_chunks(testing::read_lines("streams/anthropic-messages.chunks.jsonl"));
  auto events = testing::decode_invoke_bytes(bytes, F::AnthropicMessages);
  ASSERT_TRUE(events.has_value());
  std::vector<std::string> texts;
  bool stop_after_text = false;
  for (const auto& e : *events) {
    if (const auto* t = std::get_if<TextDelta>(&e)) texts.push_back(t->text);
    if (std::holds_alternative<MessageStop>(e)) stop_after_text = texts.size() == 2;
  }
  EXPECT_EQ(texts, (std::vector<std::string>{"A cat", " sat."}));
  EXPECT_TRUE(stop_after_text);
}

// Thinking, its signature, text and the split tool input stay in their own blocks.
TEST(InvokeStream, AnthropicBlocksKeptApartByIndex) {
  const std::string bytes =
      testing::frame_chunks(testing::read_lines("streams/anthropic-messages-tools.chunks.jsonl"));
  auto events = testing::decode_invoke_bytes(bytes, F::AnthropicMessages);
  ASSERT_TRUE(events.has_value()) << events.error().message;
  const auto acc = testing::accumulate(*events);
  const auto blocks = acc.blocks();
  ASSERT_EQ(blocks.size(), 3u);
  EXPECT_EQ(blocks[0].reasoning, "The user wants the weather.");
  EXPECT_EQ(blocks[0].reasoning_signature, "EqQBCgIYAhIM1gbcDa9GJwZA2b3h");
  EXPECT_EQ(blocks[0].text, "");
  EXPECT_EQ(blocks[1].text, "Checking.");
  EXPECT_EQ(blocks[2].tool_use_id, "toolu_bdrk_01A");
  EXPECT_EQ(blocks[2].tool_name, "get_weather");
  EXPECT_EQ(blocks[2].tool_input, R"({"city": "Paris"})");
  EXPECT_TRUE(blocks[2].stopped);
  EXPECT_EQ(acc.usage().cache_read_input_tokens, 12);
  EXPECT_EQ(acc.completion().stop_reason, StopReason::ToolUse);
}

// DeepSeek's reasoning is released once "</think>" arrives, even split across chunks.
TEST(InvokeStream, DeepSeekReasoningSplitAcrossChunks) {
  const std::string bytes =
      testing::frame_chunks(testing::read_lines("streams/deepseek.chunks.jsonl"));
  auto events = testing::decode_invoke_bytes(bytes, F::DeepSeek);
  ASSERT_TRUE(events.has_value());
  ASSERT_GE(events->size(), 2u);
  const auto* reasoning = std::get_if<ReasoningDelta>(&(*events)[0]);
  ASSERT_NE(reasoning, nullptr);
  EXPECT_EQ(reasoning->text, "The user wants colors.");
  const auto* text = std::get_if<TextDelta>(&(*events)[1]);
  ASSERT_NE(text, nullptr);
  EXPECT_EQ(text->text, "Red, green");
}

// Without "</think>" the whole text is the answer, as decode() reads such a body.
TEST(InvokeStream, DeepSeekWithoutThinkEndIsAllAnswer) {
  const std::string bytes =
      testing::frame_chunks({R"({"choices":[{"text":"Just ","stop_reason":null}]})",
                             R"({"choices":[{"text":"an answer.","stop_reason":"length"}]})"});
  auto events = testing::decode_invoke_bytes(bytes, F::DeepSeek);
  ASSERT_TRUE(events.has_value());
  auto out = testing::accumulate(*events).finish();
  ASSERT_TRUE(out.has_value());
  auto whole = codec_for(F::DeepSeek)
                   .decode(R"({"choices":[{"text":"Just an answer.","stop_reason":"length"}]})");
  ASSERT_TRUE(whole.has_value());
  EXPECT_EQ(out->text, whole->text);
  EXPECT_EQ(out->reasoning, "");
  EXPECT_EQ(out->stop_reason, StopReason::MaxTokens);
}

// Families with no known stream shape (legacy Cohere Command) or that Bedrock does not stream
// (Jurassic-2) are refused, not guessed.
TEST(InvokeStream, UnverifiedFamiliesRefusedWithValidation) {
  for (F family : {F::CohereCommand, F::Ai21Jurassic}) {
    EXPECT_FALSE(supports_invoke_stream(family)) << to_string(family);
    StreamState state;
    auto out = codec_for(family).decode_stream_chunk(R"({"text":"hi"})", state);
    ASSERT_FALSE(out.has_value()) << to_string(family);
    EXPECT_EQ(out.error().code, ErrorCode::Validation);
    EXPECT_NE(out.error().message.find("cannot be streamed"), std::string::npos);
  }
  for (F family : {F::AnthropicMessages, F::AnthropicText, F::TitanText, F::Nova, F::Llama2,
                   F::Llama3, F::MistralText, F::DeepSeek, F::MistralChat, F::CohereCommandR,
                   F::Ai21Jamba, F::OpenAiGptOss}) {
    EXPECT_TRUE(supports_invoke_stream(family)) << to_string(family);
  }
}

// ConverseStream: reasoning + signature, text, split tool input by index; padding ignored.
TEST(ConverseStream, GoldenEventsAccumulateToConverseDecode) {
  const std::string bytes =
      testing::frame_converse_events(testing::read_lines("streams/converse.events.jsonl"));
  auto whole = decode_converse(testing::read_golden("streams/converse.body.json"));
  ASSERT_TRUE(whole.has_value()) << whole.error().message;
  for (std::size_t piece : {std::size_t{1}, std::size_t{13}, bytes.size()}) {
    auto events = testing::decode_converse_bytes(bytes, piece);
    ASSERT_TRUE(events.has_value()) << events.error().message;
    const auto acc = testing::accumulate(*events);
    auto out = acc.finish();
    ASSERT_TRUE(out.has_value());
    EXPECT_EQ(out->text, whole->text);
    EXPECT_EQ(out->reasoning, whole->reasoning);
    EXPECT_EQ(out->stop_reason, whole->stop_reason);
    EXPECT_EQ(out->usage.input_tokens, whole->usage.input_tokens);
    EXPECT_EQ(out->usage.output_tokens, whole->usage.output_tokens);
    EXPECT_TRUE(out->usage.reported);
    const auto blocks = acc.blocks();
    ASSERT_EQ(blocks.size(), 3u);
    EXPECT_EQ(blocks[0].reasoning_signature, "EqQBCgIYAhIM");
    EXPECT_EQ(blocks[1].text, "Hello.");
    EXPECT_EQ(blocks[2].tool_use_id, "tooluse_1");
    EXPECT_EQ(blocks[2].tool_input, R"({"city":"Paris"})");
    ASSERT_EQ(out->tool_calls.size(), 1u);
    ASSERT_EQ(whole->tool_calls.size(), 1u);
    EXPECT_EQ(out->tool_calls[0].id, whole->tool_calls[0].id);
    EXPECT_EQ(out->tool_calls[0].name, whole->tool_calls[0].name);
    EXPECT_EQ(out->tool_calls[0].input_json, whole->tool_calls[0].input_json);
    ASSERT_TRUE(acc.stop().has_value());
    EXPECT_EQ(acc.stop()->additional_fields, R"({"stop_sequence":null})");
    EXPECT_EQ(acc.metrics().latency_ms, 734);
  }
}

// Interleaved deltas of two blocks still concatenate per block, in block order.
TEST(ConverseStream, InterleavedBlocksConcatenateInIndexOrder) {
  std::string bytes;
  append_event(bytes, "contentBlockDelta", R"({"contentBlockIndex":1,"delta":{"text":"B1"}})");
  append_event(bytes, "contentBlockDelta", R"({"contentBlockIndex":0,"delta":{"text":"A1"}})");
  append_event(bytes, "contentBlockDelta", R"({"contentBlockIndex":1,"delta":{"text":"B2"}})");
  append_event(bytes, "contentBlockDelta", R"({"contentBlockIndex":0,"delta":{"text":"A2"}})");
  append_event(bytes, "messageStop", R"({"stopReason":"max_tokens"})");
  auto events = testing::decode_converse_bytes(bytes);
  ASSERT_TRUE(events.has_value());
  auto out = testing::accumulate(*events).finish();
  ASSERT_TRUE(out.has_value());
  EXPECT_EQ(out->text, "A1A2B1B2");
  EXPECT_EQ(out->stop_reason, StopReason::MaxTokens);
  EXPECT_FALSE(out->usage.reported);  // no metadata event
}

// Redacted reasoning is kept apart from readable reasoning.
TEST(ConverseStream, RedactedReasoningKeptApart) {
  std::string bytes;
  append_event(
      bytes, "contentBlockDelta",
      R"({"contentBlockIndex":0,"delta":{"reasoningContent":{"redactedContent":"AAEC"}}})");
  auto events = testing::decode_converse_bytes(bytes);
  ASSERT_TRUE(events.has_value());
  ASSERT_EQ(events->size(), 1u);
  const auto* r = std::get_if<ReasoningDelta>(&events->front());
  ASSERT_NE(r, nullptr);
  EXPECT_EQ(r->part, ReasoningPart::Redacted);
  EXPECT_EQ(r->text, "AAEC");
  EXPECT_EQ(testing::accumulate(*events).completion().reasoning, "");
}

// Two streamed tools: input assembled per contentBlockIndex with the start's id and name, in the
// same spelling as the non-streamed decode; a tool without input deltas takes no arguments.
TEST(ConverseStream, ToolCallsAssembledPerBlock) {
  std::string bytes;
  append_event(bytes, "contentBlockStart",
               R"({"contentBlockIndex":0,"start":{"toolUse":{"toolUseId":"t_a","name":"a"}}})");
  append_event(bytes, "contentBlockStart",
               R"({"contentBlockIndex":1,"start":{"toolUse":{"toolUseId":"t_b","name":"b"}}})");
  append_event(bytes, "contentBlockDelta",
               R"({"contentBlockIndex":0,"delta":{"toolUse":{"input":"{\"y\": 2, "}}})");
  append_event(bytes, "contentBlockDelta",
               R"({"contentBlockIndex":0,"delta":{"toolUse":{"input":"\"x\": [1]}"}}})");
  append_event(bytes, "messageStop", R"({"stopReason":"tool_use"})");
  auto events = testing::decode_converse_bytes(bytes);
  ASSERT_TRUE(events.has_value()) << events.error().message;
  auto out = testing::accumulate(*events).finish();
  ASSERT_TRUE(out.has_value()) << out.error().message;
  EXPECT_EQ(out->stop_reason, StopReason::ToolUse);
  ASSERT_EQ(out->tool_calls.size(), 2u);
  EXPECT_EQ(out->tool_calls[0].id, "t_a");
  EXPECT_EQ(out->tool_calls[0].name, "a");
  auto whole = decode_converse(
      R"({"output":{"message":{"content":[{"toolUse":{"toolUseId":"t_a","name":"a",)"
      R"("input":{"y":2,"x":[1]}}}]}},"stopReason":"tool_use"})");
  ASSERT_TRUE(whole.has_value());
  EXPECT_EQ(out->tool_calls[0].input_json, whole->tool_calls[0].input_json);
  EXPECT_EQ(out->tool_calls[1].id, "t_b");
  EXPECT_EQ(out->tool_calls[1].input_json, "{}");
}

// A stream cut inside a tool's input is an error, not a call with half its arguments.
TEST(ConverseStream, CutToolInputFailsFinish) {
  std::string bytes;
  append_event(bytes, "contentBlockStart",
               R"({"contentBlockIndex":0,"start":{"toolUse":{"toolUseId":"t_a","name":"a"}}})");
  append_event(bytes, "contentBlockDelta",
               R"({"contentBlockIndex":0,"delta":{"toolUse":{"input":"{\"city\":"}}})");
  append_event(bytes, "messageStop", R"({"stopReason":"tool_use"})");
  auto events = testing::decode_converse_bytes(bytes);
  ASSERT_TRUE(events.has_value());
  const auto acc = testing::accumulate(*events);
  auto out = acc.finish();
  ASSERT_FALSE(out.has_value());
  EXPECT_EQ(out.error().code, ErrorCode::InvalidResponse);
  ASSERT_EQ(acc.completion().tool_calls.size(), 1u);
  EXPECT_EQ(acc.completion().tool_calls[0].input_json, R"({"city":)");
}

}  // namespace
}  // namespace bedrock::models
