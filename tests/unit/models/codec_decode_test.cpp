// Decoding beyond the examples of docs/wire-protocol.md §7: every native stop-reason spelling,
// reasoning separation, multi-block content and partial usage.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "bedrock/models/codec.h"

namespace bedrock::models {
namespace {

using F = ModelFamily;

struct StopCase {
  F family;
  std::string body;
  StopReason expected;
  std::string raw;
};

class CodecStopReasons : public ::testing::TestWithParam<StopCase> {};

// Each family's native spelling maps to the right StopReason; the raw spelling is kept.
TEST_P(CodecStopReasons, Maps) {
  const auto& c = GetParam();
  auto out = codec_for(c.family).decode(c.body);
  ASSERT_TRUE(out.has_value()) << out.error().message;
  EXPECT_EQ(out->stop_reason, c.expected) << c.body;
  EXPECT_EQ(out->raw_stop_reason, c.raw);
}

std::string anthropic(const std::string& reason) {
  return R"({"content":[{"type":"text","text":"x"}],"stop_reason":")" + reason + R"("})";
}
std::string titan(const std::string& reason) {
  return R"({"results":[{"outputText":"x","completionReason":")" + reason + R"("}]})";
}
std::string chat(const std::string& field, const std::string& reason) {
  return R"({"choices":[{"message":{"content":"x"},")" + field + R"(":")" + reason + R"("}]})";
}

INSTANTIATE_TEST_SUITE_P(
    Spellings, CodecStopReasons,
    ::testing::Values(
        StopCase{F::AnthropicMessages, anthropic("max_tokens"), StopReason::MaxTokens,
                 "max_tokens"},
        StopCase{F::AnthropicMessages, anthropic("stop_sequence"), StopReason::StopSequence,
                 "stop_sequence"},
        StopCase{F::AnthropicMessages, anthropic("tool_use"), StopReason::ToolUse, "tool_use"},
        StopCase{F::AnthropicMessages, anthropic("refusal"), StopReason::ContentFiltered,
                 "refusal"},
        StopCase{F::AnthropicMessages, anthropic("pause_turn"), StopReason::Unknown, "pause_turn"},
        StopCase{F::AnthropicMessages, R"({"content":[],"stop_reason":null})", StopReason::Unknown,
                 ""},
        StopCase{F::AnthropicText, R"({"completion":"x","stop_reason":"max_tokens","stop":null})",
                 StopReason::MaxTokens, "max_tokens"},
        // A caller's own stop sequence (not the end-of-turn marker) is a StopSequence.
        StopCase{F::AnthropicText,
                 R"({"completion":"x","stop_reason":"stop_sequence","stop":"END"})",
                 StopReason::StopSequence, "stop_sequence"},
        StopCase{F::TitanText, titan("LENGTH"), StopReason::MaxTokens, "LENGTH"},
        StopCase{F::TitanText, titan("STOP_CRITERIA_MET"), StopReason::StopSequence,
                 "STOP_CRITERIA_MET"},
        StopCase{F::TitanText, titan("CONTENT_FILTERED"), StopReason::ContentFiltered,
                 "CONTENT_FILTERED"},
        StopCase{F::TitanText, titan("RAG_QUERY_WHEN_RAG_DISABLED"), StopReason::Unknown,
                 "RAG_QUERY_WHEN_RAG_DISABLED"},
        StopCase{
            F::Nova,
            R"({"output":{"message":{"content":[{"text":"x"}]}},"stopReason":"content_filtered"})",
            StopReason::ContentFiltered, "content_filtered"},
        StopCase{
            F::Nova,
            R"({"output":{"message":{"content":[{"text":"x"}]}},"stopReason":"stop_sequence"})",
            StopReason::StopSequence, "stop_sequence"},
        StopCase{F::Llama3, R"({"generation":"x","stop_reason":"length"})", StopReason::MaxTokens,
                 "length"},
        StopCase{F::MistralText, R"({"outputs":[{"text":"x","stop_reason":"length"}]})",
                 StopReason::MaxTokens, "length"},
        StopCase{F::MistralChat, chat("finish_reason", "length"), StopReason::MaxTokens, "length"},
        StopCase{F::MistralChat, chat("stop_reason", "tool_calls"), StopReason::ToolUse,
                 "tool_calls"},
        StopCase{F::CohereCommand, R"({"generations":[{"text":"x","finish_reason":"MAX_TOKENS"}]})",
                 StopReason::MaxTokens, "MAX_TOKENS"},
        StopCase{F::CohereCommand,
                 R"({"generations":[{"text":"x","finish_reason":"ERROR_TOXIC"}]})",
                 StopReason::ContentFiltered, "ERROR_TOXIC"},
        StopCase{F::CohereCommand, R"({"generations":[{"text":"x","finish_reason":"ERROR"}]})",
                 StopReason::Unknown, "ERROR"},
        StopCase{F::CohereCommandR, R"({"text":"x","finish_reason":"MAX_TOKENS"})",
                 StopReason::MaxTokens, "MAX_TOKENS"},
        StopCase{F::CohereCommandR, R"({"text":"x","finish_reason":"STOP_SEQUENCE"})",
                 StopReason::StopSequence, "STOP_SEQUENCE"},
        StopCase{
            F::Ai21Jurassic,
            R"({"completions":[{"data":{"text":"x"},"finishReason":{"reason":"length","length":5}}]})",
            StopReason::MaxTokens, "length"},
        StopCase{
            F::Ai21Jurassic,
            R"({"completions":[{"data":{"text":"x"},"finishReason":{"reason":"stop","sequence":"##"}}]})",
            StopReason::StopSequence, "stop"},
        StopCase{F::Ai21Jamba, chat("finish_reason", "length"), StopReason::MaxTokens, "length"},
        StopCase{F::DeepSeek, R"({"choices":[{"text":"x","stop_reason":"length"}]})",
                 StopReason::MaxTokens, "length"},
        StopCase{F::OpenAiGptOss, chat("finish_reason", "content_filter"),
                 StopReason::ContentFiltered, "content_filter"}));

// Anthropic: text blocks are joined, thinking goes to reasoning, tool_use is skipped.
TEST(CodecDecode, AnthropicBlocks) {
  auto out = codec_for(F::AnthropicMessages).decode(R"({"content":[
                   {"type":"thinking","thinking":"Hmm.","signature":"sig"},
                   {"type":"text","text":"Red, "},
                   {"type":"tool_use","id":"t1","name":"f","input":{}},
                   {"type":"text","text":"green."}],
                   "stop_reason":"end_turn","usage":{"input_tokens":1,"output_tokens":2,
                   "cache_read_input_tokens":0}})");
  ASSERT_TRUE(out.has_value());
  EXPECT_EQ(out->text, "Red, green.");
  EXPECT_EQ(out->reasoning, "Hmm.");
  EXPECT_EQ(out->usage.output_tokens, 2);

  auto broken = codec_for(F::AnthropicMessages).decode(R"({"content":[{"type":"text"}]})");
  ASSERT_FALSE(broken.has_value());
  EXPECT_EQ(broken.error().code, ErrorCode::InvalidResponse);
}

// Usage is reported only when the body has both counts as non-negative integers.
TEST(CodecDecode, PartialUsageIsNotReported) {
  for (const char* usage : {R"({"input_tokens":5})", R"({"input_tokens":5,"output_tokens":-1})",
                            R"({"input_tokens":"5","output_tokens":2})", R"(null)"}) {
    auto out = codec_for(F::AnthropicMessages)
                   .decode(std::string(R"({"content":[],"stop_reason":"end_turn","usage":)") +
                           usage + "}");
    ASSERT_TRUE(out.has_value()) << usage;
    EXPECT_FALSE(out->usage.reported) << usage;
    EXPECT_EQ(out->usage.input_tokens, 0);
  }
}

// DeepSeek-R1: reasoning ends at </think>; cut off before it, everything is kept as text.
TEST(CodecDecode, DeepSeekReasoning) {
  auto done =
      codec_for(F::DeepSeek)
          .decode(R"({"choices":[{"text":"Plan.\n</think>\n\nAnswer.","stop_reason":"stop"}]})");
  ASSERT_TRUE(done.has_value());
  EXPECT_EQ(done->reasoning, "Plan.");
  EXPECT_EQ(done->text, "Answer.");

  auto cut = codec_for(F::DeepSeek)
                 .decode(R"({"choices":[{"text":"Still thinking","stop_reason":"length"}]})");
  ASSERT_TRUE(cut.has_value());
  EXPECT_EQ(cut->text, "Still thinking");
  EXPECT_EQ(cut->reasoning, "");
  EXPECT_EQ(cut->stop_reason, StopReason::MaxTokens);
}

// gpt-oss: a tool-call answer has content null, which is an empty text, not an error.
TEST(CodecDecode, GptOssNullContent) {
  auto out = codec_for(F::OpenAiGptOss)
                 .decode(R"({"choices":[{"message":{"role":"assistant","content":null},
                             "finish_reason":"tool_calls"}]})");
  ASSERT_TRUE(out.has_value());
  EXPECT_EQ(out->text, "");
  EXPECT_EQ(out->stop_reason, StopReason::ToolUse);
}

// Jurassic-2 token lists count as usage when present.
TEST(CodecDecode, JurassicTokenLists) {
  auto out = codec_for(F::Ai21Jurassic).decode(R"({"prompt":{"text":"p","tokens":[{},{},{}]},
                   "completions":[{"data":{"text":"x","tokens":[{},{}]},
                   "finishReason":{"reason":"endoftext"}}]})");
  ASSERT_TRUE(out.has_value());
  EXPECT_TRUE(out->usage.reported);
  EXPECT_EQ(out->usage.input_tokens, 3);
  EXPECT_EQ(out->usage.output_tokens, 2);
}

// Non-ASCII text survives encode and decode byte for byte.
TEST(CodecDecode, Utf8RoundTrip) {
  const std::string text = "Grüße, 世界 \xF0\x9F\x98\x80";
  auto body = codec_for(F::Nova).encode(Prompt::from_user(text), {},
                                        *ModelRegistry::builtin().find("amazon.nova-lite-v1:0"));
  ASSERT_TRUE(body.has_value());
  EXPECT_NE(body->find(text), std::string::npos);  // raw UTF-8, not \u escapes
  auto out = codec_for(F::Nova).decode(R"({"output":{"message":{"content":[{"text":")" + text +
                                       R"("}]}},"stopReason":"end_turn"})");
  ASSERT_TRUE(out.has_value());
  EXPECT_EQ(out->text, text);
}

}  // namespace
}  // namespace bedrock::models
