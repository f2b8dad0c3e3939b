// Runtime stream events as OpenAI's chat.completion.chunk server-sent events.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "server/openai/chat_stream.h"

namespace bedrock::server::openai {
namespace {

using Json = nlohmann::json;

const ChatIdentity kStreamId{"chatcmpl-s", 1700000001, "haiku"};

// The data lines of the SSE text, one entry per event ("[DONE]" kept as text).
std::vector<std::string> events(const std::string& sse) {
  std::vector<std::string> out;
  std::size_t at = 0;
  while (at < sse.size()) {
    const auto end = sse.find("\n\n", at);
    if (end == std::string::npos) break;
    std::string event = sse.substr(at, end - at);
    EXPECT_EQ(event.rfind("data: ", 0), 0u) << event;
    out.push_back(event.substr(6));
    at = end + 2;
  }
  EXPECT_EQ(at, sse.size()) << "trailing bytes";
  return out;
}

models::Completion done(models::StopReason stop) {
  models::Completion c;
  c.stop_reason = stop;
  c.usage = {10, 4, true, 3, 0};
  return c;
}

// Role first, then content deltas, the finish chunk, the usage chunk and [DONE].
TEST(OpenAiChatStream, TextWithUsage) {
  ChatStreamEncoder encoder(kStreamId, /*include_usage=*/true, /*structured=*/false);
  std::string out;
  encoder.add(models::TextDelta{0, "Hel"}, out);
  encoder.add(models::TextDelta{0, "lo"}, out);
  encoder.add(models::ContentBlockStop{0}, out);
  encoder.add(models::MessageStop{models::StopReason::EndTurn, "end_turn", ""}, out);
  encoder.add(models::UsageUpdate{10, 4, 3, 0, 0}, out);
  encoder.finish(done(models::StopReason::EndTurn), out);
  const auto e = events(out);
  ASSERT_EQ(e.size(), 6u);
  const Json first = Json::parse(e[0]);
  EXPECT_EQ(first["object"], "chat.completion.chunk");
  EXPECT_EQ(first["id"], "chatcmpl-s");
  EXPECT_EQ(first["created"], 1700000001);
  EXPECT_EQ(first["model"], "haiku");
  EXPECT_EQ(first["choices"][0]["delta"]["role"], "assistant");
  EXPECT_TRUE(first["usage"].is_null());
  EXPECT_EQ(Json::parse(e[1])["choices"][0]["delta"]["content"], "Hel");
  EXPECT_EQ(Json::parse(e[2])["choices"][0]["delta"]["content"], "lo");
  EXPECT_TRUE(Json::parse(e[2])["choices"][0]["finish_reason"].is_null());
  const Json finish = Json::parse(e[3]);
  EXPECT_EQ(finish["choices"][0]["delta"], Json::object());
  EXPECT_EQ(finish["choices"][0]["finish_reason"], "stop");
  const Json usage = Json::parse(e[4]);
  EXPECT_EQ(usage["choices"], Json::array());
  EXPECT_EQ(usage["usage"]["prompt_tokens"], 13);
  EXPECT_EQ(usage["usage"]["completion_tokens"], 4);
  EXPECT_EQ(usage["usage"]["prompt_tokens_details"]["cached_tokens"], 3);
  EXPECT_EQ(e[5], "[DONE]");
}

// Without include_usage there is no usage member and no usage chunk.
TEST(OpenAiChatStream, WithoutUsage) {
  ChatStreamEncoder encoder(kStreamId, false, false);
  std::string out;
  encoder.add(models::TextDelta{0, "Hi"}, out);
  encoder.finish(done(models::StopReason::MaxTokens), out);
  const auto e = events(out);
  ASSERT_EQ(e.size(), 4u);
  EXPECT_FALSE(Json::parse(e[1]).contains("usage"));
  EXPECT_EQ(Json::parse(e[2])["choices"][0]["finish_reason"], "length");
  EXPECT_EQ(e[3], "[DONE]");
}

// Tool calls stream as OpenAI's: index, id, type and name first, then argument fragments,
// numbered by call, not by content block.
TEST(OpenAiChatStream, ToolCallDeltas) {
  ChatStreamEncoder encoder(kStreamId, false, false);
  std::string out;
  encoder.add(models::TextDelta{0, "Checking."}, out);
  encoder.add(models::ToolUseStart{1, "tooluse_a", "weather"}, out);
  encoder.add(models::ToolUseDelta{1, R"({"city":)"}, out);
  encoder.add(models::ToolUseDelta{1, R"("Paris"})"}, out);
  encoder.add(models::ToolUseStart{2, "tooluse_b", "time"}, out);
  encoder.add(models::ToolUseDelta{2, "{}"}, out);
  encoder.finish(done(models::StopReason::ToolUse), out);
  const auto e = events(out);
  ASSERT_EQ(e.size(), 9u);
  EXPECT_EQ(Json::parse(e[2])["choices"][0]["delta"]["tool_calls"],
            Json::parse(R"([{"index":0,"id":"tooluse_a","type":"function",
                            "function":{"name":"weather","arguments":""}}])"));
  EXPECT_EQ(Json::parse(e[3])["choices"][0]["delta"]["tool_calls"],
            Json::parse(R"([{"index":0,"function":{"arguments":"{\"city\":"}}])"));
  EXPECT_EQ(Json::parse(e[4])["choices"][0]["delta"]["tool_calls"][0]["function"]["arguments"],
            "\"Paris\"}");
  EXPECT_EQ(Json::parse(e[5])["choices"][0]["delta"]["tool_calls"][0]["index"], 1);
  EXPECT_EQ(Json::parse(e[6])["choices"][0]["delta"]["tool_calls"][0]["index"], 1);
  EXPECT_EQ(Json::parse(e[7])["choices"][0]["finish_reason"], "tool_calls");
}

// Readable reasoning streams as reasoning_content; signatures stay out.
TEST(OpenAiChatStream, ReasoningDeltas) {
  ChatStreamEncoder encoder(kStreamId, false, false);
  std::string out;
  encoder.add(models::ReasoningDelta{0, models::ReasoningPart::Text, "Think"}, out);
  encoder.add(models::ReasoningDelta{0, models::ReasoningPart::Signature, "sig"}, out);
  encoder.add(models::TextDelta{1, "42"}, out);
  const auto e = events(out);
  ASSERT_EQ(e.size(), 3u);
  EXPECT_EQ(Json::parse(e[1])["choices"][0]["delta"]["reasoning_content"], "Think");
  EXPECT_EQ(Json::parse(e[2])["choices"][0]["delta"]["content"], "42");
}

// Signed reasoning arrives whole in one thinking_blocks delta before the finish chunk.
TEST(OpenAiChatStream, ThinkingBlocksBeforeFinish) {
  ChatStreamEncoder encoder(kStreamId, false, false);
  std::string out;
  encoder.add(models::ReasoningDelta{0, models::ReasoningPart::Text, "Hm"}, out);
  auto answer = done(models::StopReason::EndTurn);
  answer.reasoning_blocks = {{"Hm", "sig", ""}};
  encoder.finish(answer, out);
  const auto e = events(out);
  ASSERT_EQ(e.size(), 5u);
  EXPECT_EQ(Json::parse(e[2])["choices"][0]["delta"]["thinking_blocks"][0]["signature"], "sig");
  EXPECT_EQ(Json::parse(e[3])["choices"][0]["finish_reason"], "stop");
}

// A structured answer holds its deltas back and sends the validated JSON whole at the end.
TEST(OpenAiChatStream, StructuredSendsValidatedJsonWhole) {
  ChatStreamEncoder encoder(kStreamId, false, /*structured=*/true);
  std::string out;
  encoder.add(models::ToolUseStart{0, "tooluse_x", "person"}, out);
  encoder.add(models::ToolUseDelta{0, R"({"name":"Ada"})"}, out);
  auto answer = done(models::StopReason::EndTurn);
  answer.text = R"({"name":"Ada"})";
  encoder.finish(answer, out);
  const auto e = events(out);
  ASSERT_EQ(e.size(), 4u);
  EXPECT_EQ(Json::parse(e[1])["choices"][0]["delta"],
            Json::parse(R"({"content":"{\"name\":\"Ada\"}"})"));
  EXPECT_EQ(Json::parse(e[2])["choices"][0]["finish_reason"], "stop");
}

// A failure mid-stream ends it with one error event the openai clients raise.
TEST(OpenAiChatStream, FailureIsFinalErrorEvent) {
  ChatStreamEncoder encoder(kStreamId, true, false);
  std::string out;
  EXPECT_FALSE(encoder.started());
  encoder.add(models::TextDelta{0, "Par"}, out);
  EXPECT_TRUE(encoder.started());
  encoder.fail(error_json("The model failed.", "server_error", "", "ModelStreamError"), out);
  const auto e = events(out);
  ASSERT_EQ(e.size(), 3u);
  EXPECT_EQ(Json::parse(e[2])["error"]["code"], "ModelStreamError");
}

}  // namespace
}  // namespace bedrock::server::openai
