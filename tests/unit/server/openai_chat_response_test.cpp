// A Bedrock answer as OpenAI's chat.completion object and error body.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "server/openai/chat_response.h"

namespace bedrock::server::openai {
namespace {

using Json = nlohmann::json;

const ChatIdentity kId{"chatcmpl-abc", 1700000000, "haiku"};

models::Completion answer(std::string text, models::StopReason stop) {
  models::Completion c;
  c.text = std::move(text);
  c.stop_reason = stop;
  c.usage = {12, 5, true};
  return c;
}

// A plain answer has OpenAI's members, content, finish_reason and usage.
TEST(OpenAiChatResponse, PlainAnswer) {
  const Json j =
      Json::parse(chat_completion_json(kId, answer("Hello.", models::StopReason::EndTurn)));
  EXPECT_EQ(j["id"], "chatcmpl-abc");
  EXPECT_EQ(j["object"], "chat.completion");
  EXPECT_EQ(j["created"], 1700000000);
  EXPECT_EQ(j["model"], "haiku");
  const Json& choice = j["choices"][0];
  EXPECT_EQ(choice["index"], 0);
  EXPECT_EQ(choice["message"]["role"], "assistant");
  EXPECT_EQ(choice["message"]["content"], "Hello.");
  EXPECT_FALSE(choice["message"].contains("tool_calls"));
  EXPECT_FALSE(choice["message"].contains("reasoning_content"));
  EXPECT_EQ(choice["finish_reason"], "stop");
  EXPECT_EQ(j["usage"], Json::parse(R"({"prompt_tokens":12,"completion_tokens":5,"total_tokens":17,
                                        "prompt_tokens_details":{"cached_tokens":0}})"));
}

// Tool calls carry id, type and the arguments as a JSON string; content is null beside them.
TEST(OpenAiChatResponse, ToolCalls) {
  auto c = answer("", models::StopReason::ToolUse);
  c.tool_calls = {{"tooluse_1", "weather", R"({"city":"Paris"})"}};
  const Json j = Json::parse(chat_completion_json(kId, c));
  const Json& message = j["choices"][0]["message"];
  EXPECT_TRUE(message["content"].is_null());
  EXPECT_EQ(message["tool_calls"], Json::parse(R"([{"id":"tooluse_1","type":"function",
      "function":{"name":"weather","arguments":"{\"city\":\"Paris\"}"}}])"));
  EXPECT_EQ(j["choices"][0]["finish_reason"], "tool_calls");
}

// Reasoning is returned as reasoning_content; cached prompt tokens count in prompt_tokens too.
TEST(OpenAiChatResponse, ReasoningAndCachedTokens) {
  auto c = answer("42", models::StopReason::MaxTokens);
  c.reasoning = "Let me think.";
  c.usage.cache_read_input_tokens = 100;
  c.usage.cache_write_input_tokens = 7;
  const Json j = Json::parse(chat_completion_json(kId, c));
  EXPECT_EQ(j["choices"][0]["message"]["reasoning_content"], "Let me think.");
  EXPECT_EQ(j["choices"][0]["finish_reason"], "length");
  EXPECT_EQ(j["usage"]["prompt_tokens"], 119);
  EXPECT_EQ(j["usage"]["total_tokens"], 124);
  EXPECT_EQ(j["usage"]["prompt_tokens_details"]["cached_tokens"], 100);
}

// Every stop reason has its OpenAI spelling.
TEST(OpenAiChatResponse, FinishReasons) {
  EXPECT_EQ(finish_reason(models::StopReason::EndTurn), "stop");
  EXPECT_EQ(finish_reason(models::StopReason::StopSequence), "stop");
  EXPECT_EQ(finish_reason(models::StopReason::MaxTokens), "length");
  EXPECT_EQ(finish_reason(models::StopReason::ToolUse), "tool_calls");
  EXPECT_EQ(finish_reason(models::StopReason::ContentFiltered), "content_filter");
  EXPECT_EQ(finish_reason(models::StopReason::Unknown), "stop");
}

// The error body is OpenAI's, with null for an absent param or code, text escaped.
TEST(OpenAiChatResponse, ErrorBody) {
  EXPECT_EQ(Json::parse(error_json("n \"2\" is not supported", "invalid_request_error", "n",
                                   "unsupported_parameter")),
            Json::parse(R"({"error":{"message":"n \"2\" is not supported",
                "type":"invalid_request_error","param":"n","code":"unsupported_parameter"}})"));
  const Json j = Json::parse(error_json("busy", "server_error", "", ""));
  EXPECT_TRUE(j["error"]["param"].is_null());
  EXPECT_TRUE(j["error"]["code"].is_null());
}

}  // namespace
}  // namespace bedrock::server::openai
