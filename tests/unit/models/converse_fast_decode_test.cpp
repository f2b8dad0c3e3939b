// decode_converse reads plain text answers with simdjson and hands every other body to the full
// (nlohmann) reader. These hold the shortcut to the full reader's answer on the golden bodies
// and on variants that sit on the edge of the plain shape, and check that it steps aside for
// everything it does not read itself.
#include "models/converse_fast_decode.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <string>

#include "bedrock/models/converse.h"
#include "codec_test_support.h"

namespace bedrock::models {
namespace {

void expect_same(const Completion& fast, const Completion& full, const std::string& body) {
  EXPECT_EQ(fast.text, full.text) << body;
  EXPECT_EQ(fast.raw_stop_reason, full.raw_stop_reason) << body;
  EXPECT_EQ(fast.stop_reason, full.stop_reason) << body;
  EXPECT_EQ(fast.usage.reported, full.usage.reported) << body;
  EXPECT_EQ(fast.usage.input_tokens, full.usage.input_tokens) << body;
  EXPECT_EQ(fast.usage.output_tokens, full.usage.output_tokens) << body;
  EXPECT_EQ(fast.usage.cache_read_input_tokens, full.usage.cache_read_input_tokens) << body;
  EXPECT_EQ(fast.usage.cache_write_input_tokens, full.usage.cache_write_input_tokens) << body;
  EXPECT_EQ(fast.usage.cache_write_1h_input_tokens, full.usage.cache_write_1h_input_tokens) << body;
  EXPECT_TRUE(fast.tool_calls.empty() && full.tool_calls.empty()) << body;
  EXPECT_TRUE(full.reasoning.empty() && full.additional_response_fields.empty() &&
              full.trace.empty())
      << body;
}

// Bodies the shortcut must read itself, each agreeing with the full reader.
TEST(ConverseFastDecode, PlainAnswersMatchTheFullReader) {
  const std::vector<std::string> bodies = {
      testing::read_golden("converse/response.json"),
      R"({"output":{"message":{"role":"assistant","content":[{"text":"a"},{"text":"\u00e9\n\"b\""}]}},"stopReason":"max_tokens","usage":{"inputTokens":3,"outputTokens":4,"totalTokens":7},"metrics":{"latencyMs":12}})",
      R"({"output":{"message":{"content":[]}}})",
      R"({"stopReason":"guardrail_intervened","output":{"message":{"role":"assistant","content":[{"text":""}]}},"usage":{"inputTokens":0,"outputTokens":0}})",
      R"({"output":{"message":{"role":"assistant","content":[{"text":"x"}]}},"usage":{"inputTokens":5,"outputTokens":6,"cacheReadInputTokens":7,"cacheWriteInputTokens":8}})",
      R"({"output":{"message":{"role":"assistant","content":[{"text":"only input"}]}},"usage":{"inputTokens":5}})",
      R"({"output":{"message":{"role":"assistant","content":[{"text":"x"}]}},"stopReason":"something_new","usage":{"inputTokens":2147483647,"outputTokens":1}})",
  };
  for (const auto& body : bodies) {
    auto fast = detail::decode_converse_fast(body);
    ASSERT_TRUE(fast.has_value()) << "not read by the shortcut: " << body;
    auto full = detail::decode_converse_full(body);
    ASSERT_TRUE(full.has_value()) << full.error().message;
    expect_same(*fast, *full, body);
    auto decoded = decode_converse(body);
    ASSERT_TRUE(decoded.has_value());
    EXPECT_EQ(decoded->text, full->text);
  }
}

// Everything else goes to the full reader, which owns the answer or the error.
TEST(ConverseFastDecode, StepsAsideForEveryOtherShape) {
  const std::vector<std::string> bodies = {
      testing::read_golden("converse/response_tool_use.json"),
      testing::read_golden("converse/response_reasoning.json"),
      testing::read_golden("converse/response_fields.json"),
      R"({"output":{"message":{"content":[{"text":"a","text":"b"}]}}})",
      R"({"output":{"message":{"content":[{"text":"a"}]}},"output":{"message":{"content":[]}}})",
      R"({"output":{"message":{"content":[{"text":1}]}}})",
      R"({"output":{"message":{"content":[{"image":{}}]}}})",
      R"({"output":{"message":{"content":{"text":"a"}}}})",
      R"({"output":{"message":{"content":[]},"other":1}})",
      R"({"output":{"message":{"content":[]}},"stopReason":5})",
      R"({"output":{"message":{"content":[]}},"usage":{"inputTokens":-1,"outputTokens":1}})",
      R"({"output":{"message":{"content":[]}},"usage":{"inputTokens":1.5,"outputTokens":1}})",
      R"({"output":{"message":{"content":[]}},"usage":{"inputTokens":3000000000,"outputTokens":1}})",
      R"({"output":{"message":{"content":[]}},"usage":{"inputTokens":1,"inputTokens":2}})",
      R"({"output":{"message":{"content":[]}},"usage":{"cacheReadInputTokenCount":1}})",
      R"({"output":{"message":{"content":[]}},"usage":{"cacheDetails":[{"ttl":"1h","inputTokens":4}]}})",
      R"({"output":{"message":{"content":[]}},"trace":{}})",
      R"({"stopReason":"end_turn"})",
      R"([1,2])",
      "{\"output\":{\"message\":{\"content\":[{\"text\":\"\xff\"}]}}}",
      R"({"output":)",
  };
  for (const auto& body : bodies) {
    EXPECT_FALSE(detail::decode_converse_fast(body).has_value()) << body;
    // Whatever the full reader says is decode_converse's answer.
    auto full = detail::decode_converse_full(body);
    auto decoded = decode_converse(body);
    ASSERT_EQ(decoded.has_value(), full.has_value()) << body;
    if (full) {
      EXPECT_EQ(decoded->text, full->text) << body;
      EXPECT_EQ(decoded->usage.input_tokens, full->usage.input_tokens) << body;
      EXPECT_EQ(decoded->tool_calls.size(), full->tool_calls.size()) << body;
    } else {
      EXPECT_EQ(decoded.error().message, full.error().message) << body;
    }
  }
}

}  // namespace
}  // namespace bedrock::models
