// Converse tool use: toolConfig and tool blocks against golden bodies written from the shapes of
// docs/wire-protocol.md §8 (field names as in the Bedrock Runtime service model), the checks made
// before sending, and toolUse blocks decoded into Completion::tool_calls.
#include <gtest/gtest.h>

#include "bedrock/models/codec.h"
#include "bedrock/models/converse.h"
#include "codec_test_support.h"

namespace bedrock::models {
namespace {

using nlohmann::json;
using testing::golden_json;
using testing::max_tokens;

ToolConfig weather_tools(ToolChoice choice = ToolChoice::Auto) {
  ToolConfig config;
  config.tools.push_back({"get_weather", "Current weather for a city.",
                          R"({"type":"object","properties":{"city":{"type":"string"},)"
                          R"("unit":{"type":"string","enum":["C","F"]}},"required":["city"]})"});
  ToolSpec clock;
  clock.name = "get_time";
  clock.strict = true;
  config.tools.push_back(clock);
  config.choice = choice;
  return config;
}

// The assistant's two calls and the caller's two results, the second an error.
Prompt tool_round_trip() {
  Prompt p = Prompt::from_user("Weather in Paris and the time?");
  p.tools = weather_tools();
  Message asked{Role::Assistant, "Let me look."};
  asked.tool_uses = {{"tooluse_1", "get_weather", R"({"city":"Paris","unit":"C"})"},
                     {"tooluse_2", "get_time", ""}};
  p.messages.push_back(asked);
  Message answered{Role::User, ""};
  answered.tool_results = {{"tooluse_1", "", R"({"temp":18,"sky":"clear"})"},
                           {"tooluse_2", "clock unavailable", "", true}};
  p.messages.push_back(answered);
  return p;
}

Error tools_rejected(const Prompt& prompt, const char* model_id) {
  auto body = encode_converse(prompt, max_tokens(512), testing::model(model_id));
  EXPECT_FALSE(body.has_value()) << *body;
  return body ? Error{} : body.error();
}

// Tool definitions, calls with {} input for the no-argument tool, json/text/error results.
TEST(ConverseTools, RoundTripMatchesGolden) {
  auto body = encode_converse(tool_round_trip(), max_tokens(512),
                              testing::model("anthropic.claude-3-5-sonnet-20241022-v2:0"));
  ASSERT_TRUE(body.has_value()) << body.error().message;
  EXPECT_EQ(json::parse(*body), golden_json("converse/request_tools.json"));
  // Key order follows the caller's schema and input, as written.
  EXPECT_NE(body->find(R"("input":{"city":"Paris","unit":"C"})"), std::string::npos) << *body;
}

// Results the caller gives as one user message per tool travel as one user message.
TEST(ConverseTools, ResultsOfOneTurnAreMerged) {
  Prompt split = tool_round_trip();
  Message second{Role::User, ""};
  second.tool_results.push_back(split.messages.back().tool_results.back());
  split.messages.back().tool_results.pop_back();
  split.messages.push_back(second);
  ASSERT_EQ(split.messages.size(), 4u);
  auto body = encode_converse(split, max_tokens(512), testing::model("amazon.nova-pro-v1:0"));
  ASSERT_TRUE(body.has_value()) << body.error().message;
  EXPECT_EQ(json::parse(*body), golden_json("converse/request_tools.json"));
}

// Each toolChoice spelling of the service model.
TEST(ConverseTools, ToolChoiceShapes) {
  const auto choice_of = [](ToolChoice choice, const char* model_id) {
    Prompt p = Prompt::from_user("Go");
    p.tools = weather_tools(choice);
    p.tools.forced_tool = "get_weather";
    auto body = encode_converse(p, {}, testing::model(model_id));
    EXPECT_TRUE(body.has_value()) << body.error().message;
    return body ? json::parse(*body).at("toolConfig").value("toolChoice", json()) : json();
  };
  EXPECT_EQ(choice_of(ToolChoice::Any, "mistral.mistral-large-2407-v1:0"),
            json::parse(R"({"any":{}})"));
  EXPECT_EQ(choice_of(ToolChoice::Tool, "amazon.nova-lite-v1:0"),
            json::parse(R"({"tool":{"name":"get_weather"}})"));
  EXPECT_TRUE(choice_of(ToolChoice::Unset, "meta.llama3-1-70b-instruct-v1:0").is_null());
}

// What Bedrock would refuse is refused before sending, naming the problem.
TEST(ConverseTools, ValidationBeforeSending) {
  const char* claude = "anthropic.claude-3-haiku-20240307-v1:0";
  Prompt p = Prompt::from_user("Go");
  p.tools = weather_tools();
  EXPECT_NE(tools_rejected(p, "amazon.titan-text-express-v1").message.find("tool use"),
            std::string::npos);

  Prompt forced = p;
  forced.tools.choice = ToolChoice::Tool;
  forced.tools.forced_tool = "get_weather";
  EXPECT_NE(tools_rejected(forced, "cohere.command-r-plus-v1:0").message.find("named tool"),
            std::string::npos);
  forced.tools.forced_tool = "nope";
  EXPECT_NE(tools_rejected(forced, claude).message.find("nope"), std::string::npos);

  Prompt bad_name = p;
  bad_name.tools.tools[0].name = "get weather";
  EXPECT_NE(tools_rejected(bad_name, claude).message.find("tool name"), std::string::npos);
  Prompt twice = p;
  twice.tools.tools[1].name = "get_weather";
  EXPECT_NE(tools_rejected(twice, claude).message.find("twice"), std::string::npos);
  Prompt bad_schema = p;
  bad_schema.tools.tools[0].input_schema_json = "[1]";
  EXPECT_NE(tools_rejected(bad_schema, claude).message.find("input schema"), std::string::npos);

  Prompt no_tools = tool_round_trip();
  no_tools.tools = {};
  EXPECT_NE(tools_rejected(no_tools, claude).message.find("no tools are defined"),
            std::string::npos);
  Prompt unanswered = tool_round_trip();
  unanswered.messages.back().tool_results.pop_back();
  EXPECT_NE(tools_rejected(unanswered, claude).message.find("tooluse_2"), std::string::npos);
  Prompt stray = tool_round_trip();
  stray.messages.back().tool_results[0].tool_use_id = "tooluse_9";
  EXPECT_NE(tools_rejected(stray, claude).message.find("tooluse_9"), std::string::npos);
  Prompt bad_input = tool_round_trip();
  bad_input.messages[1].tool_uses[0].input_json = "\"Paris\"";
  EXPECT_NE(tools_rejected(bad_input, claude).message.find("not a JSON object"), std::string::npos);
  // Error status exists only for Claude 3+ and Nova.
  EXPECT_NE(
      tools_rejected(tool_round_trip(), "meta.llama3-1-70b-instruct-v1:0").message.find("status"),
      std::string::npos);
}

// Native bodies have no tool path here: a tool prompt is refused rather than silently dropped.
TEST(ConverseTools, NativeCodecsRefuseTools) {
  const auto model = testing::model("anthropic.claude-3-haiku-20240307-v1:0");
  Prompt p = Prompt::from_user("Go");
  p.tools = weather_tools();
  auto body = codec_for(ModelFamily::AnthropicMessages).encode(p, max_tokens(100), model);
  ASSERT_FALSE(body.has_value());
  EXPECT_EQ(body.error().code, ErrorCode::Validation);
  EXPECT_NE(body.error().message.find("Converse"), std::string::npos);
  auto blocks =
      codec_for(ModelFamily::AnthropicMessages).encode(tool_round_trip(), max_tokens(100), model);
  ASSERT_FALSE(blocks.has_value());
  EXPECT_NE(blocks.error().message.find("Converse"), std::string::npos);
}

// toolUse blocks come back with id, name and compact input; text and stop reason as before.
TEST(ConverseTools, DecodesToolCalls) {
  auto out = decode_converse(testing::read_golden("converse/response_tool_use.json"));
  ASSERT_TRUE(out.has_value()) << out.error().message;
  EXPECT_EQ(out->text, "Let me look.");
  EXPECT_EQ(out->stop_reason, StopReason::ToolUse);
  ASSERT_EQ(out->tool_calls.size(), 2u);
  EXPECT_EQ(out->tool_calls[0].id, "tooluse_1");
  EXPECT_EQ(out->tool_calls[0].name, "get_weather");
  EXPECT_EQ(json::parse(out->tool_calls[0].input_json),
            json::parse(R"({"city":"Paris","unit":"C"})"));
  EXPECT_EQ(out->tool_calls[1].input_json, "{}");

  auto broken = decode_converse(
      R"({"output":{"message":{"content":[{"toolUse":{"toolUseId":7,"name":"x"}}]}}})");
  ASSERT_FALSE(broken.has_value());
  EXPECT_EQ(broken.error().code, ErrorCode::InvalidResponse);

  // Input nested past any documented shape is refused before it is parsed or re-serialised.
  const std::string deep = R"({"output":{"message":{"content":[{"toolUse":{"toolUseId":"t",)"
                           R"("name":"x","input":)" +
                           std::string(100, '[') + std::string(100, ']') + "}}]}}}";
  auto too_deep = decode_converse(deep);
  ASSERT_FALSE(too_deep.has_value());
  EXPECT_EQ(too_deep.error().code, ErrorCode::InvalidResponse);
}

}  // namespace
}  // namespace bedrock::models
