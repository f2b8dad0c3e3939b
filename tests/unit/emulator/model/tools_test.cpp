// Converse tools in the emulator: toolConfig checked per family, forced tool calls answered
// with a toolUse whose input fits the schema, tool results matched to the turn before, and
// the streamed form of a tool call.
#include "emulator/model/tools.h"

#include <gtest/gtest.h>

#include "emulator/model/answer.h"
#include "emulator/model/render.h"
#include "emulator/model/request_checks.h"
#include "emulator/model/stream_render.h"
#include "fakes/event_stream_reader.h"
#include "test_models.h"

namespace bedrock::emulator::model {
namespace {

using nlohmann::json;
using namespace testing;  // NOLINT: test helpers

const std::string kWeatherTool =
    R"({"toolSpec":{"name":"get_weather","description":"Weather for a city","inputSchema":{"json":
       {"type":"object","properties":{"city":{"type":"string"},"days":{"type":"integer"},
        "unit":{"type":"string","enum":["celsius","fahrenheit"]},"detailed":{"type":"boolean"},
        "note":{"type":"string"}},"required":["city","days","unit","detailed"]}}}})";

std::string body_with(
    const std::string& tool_config,
    const std::string& messages = R"([{"role":"user","content":[{"text":"Weather in Paris?"}]}])") {
  return R"({"messages":)" + messages + R"(,"toolConfig":)" + tool_config + "}";
}

EmulatedRequest converse_ok(const ModelInfo& m, const std::string& body) {
  auto r = parse_converse_request(m, body);
  if (!r) throw std::runtime_error("unexpected error: " + r.error().message);
  return *r;
}

std::string error_of(const ModelInfo& m, const std::string& body) {
  auto r = parse_converse_request(m, body);
  if (r) return "";
  EXPECT_EQ(r.error().http_status, 400);
  return r.error().message;
}

// A forced tool (any, or by name) is answered with one toolUse block and stopReason tool_use;
// the input sets every required property with a value of its JSON type.
TEST(ConverseTools, ForcedToolIsCalledWithInputFittingTheSchema) {
  for (const char* choice : {R"({"any":{}})", R"({"tool":{"name":"get_weather"}})"}) {
    auto request = converse_ok(claude_haiku(), body_with(R"({"tools":[{"toolSpec":{"name":"other",
        "inputSchema":{"json":{"type":"object"}}}},)" + kWeatherTool +
                                                         R"(],"toolChoice":)" + choice + "}"));
    if (std::string_view(choice).find("any") != std::string_view::npos) {
      EXPECT_EQ(request.forced_tool, "other");
      continue;
    }
    auto answer = default_answer(claude_haiku(), request);
    json r = json::parse(render_converse_response(request, answer, 5));
    EXPECT_EQ(r["stopReason"], "tool_use");
    ASSERT_EQ(r["output"]["message"]["content"].size(), 1u) << r.dump();
    const json& use = r["output"]["message"]["content"][0]["toolUse"];
    EXPECT_EQ(use["name"], "get_weather");
    EXPECT_TRUE(use["toolUseId"].get<std::string>().starts_with("tooluse_")) << use;
    EXPECT_EQ(use["toolUseId"].get<std::string>().size(), 8u + 22u);
    EXPECT_TRUE(use["input"]["city"].is_string());
    EXPECT_TRUE(use["input"]["days"].is_number_integer());
    EXPECT_EQ(use["input"]["unit"], "celsius");
    EXPECT_TRUE(use["input"]["detailed"].is_boolean());
    EXPECT_FALSE(use["input"].contains("note"));
    // Deterministic: the same request gets the same id.
    EXPECT_EQ(default_answer(claude_haiku(), request).tool_use_id, answer.tool_use_id);
  }
}

// Streamed: contentBlockStart carries id and name, the deltas rebuild the input JSON.
TEST(ConverseTools, StreamedToolCall) {
  auto request =
      converse_ok(nova_lite(), body_with(R"({"tools":[)" + kWeatherTool +
                                         R"(],"toolChoice":{"tool":{"name":"get_weather"}}})"));
  auto answer = default_answer(nova_lite(), request);
  auto read = bedrock::testing::read_event_stream(render_converse_stream(request, answer, 5));
  ASSERT_EQ(read.problem, "");
  std::vector<std::string> events;
  std::string input;
  json start;
  for (const auto& m : read.messages) {
    events.push_back(m.headers.at(":event-type"));
    json p = json::parse(m.payload);
    if (events.back() == "contentBlockStart") start = p;
    if (events.back() == "contentBlockDelta")
      input += p["delta"]["toolUse"]["input"].get<std::string>();
    if (events.back() == "messageStop") {
      EXPECT_EQ(p["stopReason"], "tool_use");
    }
  }
  ASSERT_GE(events.size(), 6u);
  EXPECT_EQ(events[0], "messageStart");
  EXPECT_EQ(events[1], "contentBlockStart");
  EXPECT_EQ(start["start"]["toolUse"]["name"], "get_weather");
  EXPECT_EQ(start["start"]["toolUse"]["toolUseId"], answer.tool_use_id);
  EXPECT_EQ(json::parse(input), json::parse(answer.tool_input));
  EXPECT_EQ(events[events.size() - 3], "contentBlockStop");
}

// Families without tool use, or without a forced toolChoice, get Bedrock's refusals.
TEST(ConverseTools, FamilySupportAsBedrock) {
  const std::string tools = R"({"tools":[)" + kWeatherTool + "]}";
  EXPECT_EQ(error_of(titan_express(), body_with(tools)), "This model doesn't support tool use.");
  EXPECT_EQ(error_of(llama2(), body_with(tools)), "This model doesn't support tool use.");
  EXPECT_EQ(error_of(deepseek(), body_with(tools)), "This model doesn't support tool use.");
  EXPECT_EQ(error_of(mistral_large_2407(), body_with(tools)), "");
  EXPECT_EQ(error_of(mistral_large_2407(),
                     body_with(R"({"tools":[)" + kWeatherTool + R"(],"toolChoice":{"any":{}}})")),
            "This model doesn't support the toolConfig.toolChoice.any field. Remove "
            "toolConfig.toolChoice.any and try again.");
  EXPECT_NE(error_of(claude_haiku(), body_with(R"({"tools":[]})")), "");
  EXPECT_NE(error_of(claude_haiku(), body_with(R"({"tools":[)" + kWeatherTool +
                                               R"(],"toolChoice":{"tool":{"name":"nope"}}})")),
            "");
  // auto answers text, as without tools.
  auto request = converse_ok(claude_haiku(), body_with(tools));
  EXPECT_EQ(request.forced_tool, "");
  EXPECT_EQ(default_answer(claude_haiku(), request).stop_reason, StopReason::EndTurn);
}

// toolResult blocks answer the toolUse blocks of the turn before; strays are refused.
TEST(ConverseTools, ToolResultsMatchThePreviousTurn) {
  const std::string tools = R"({"tools":[)" + kWeatherTool + "]}";
  const std::string use =
      R"({"role":"assistant","content":[{"toolUse":{"toolUseId":"tooluse_a","name":"get_weather","input":{"city":"Paris"}}}]})";
  auto result = [](const char* id) {
    return std::string(R"({"role":"user","content":[{"toolResult":{"toolUseId":")") + id +
           R"(","content":[{"text":"21 C"}]}}]})";
  };
  const std::string ask = R"({"role":"user","content":[{"text":"Weather in Paris?"}]})";
  auto ok = converse_ok(claude_haiku(),
                        body_with(tools, "[" + ask + "," + use + "," + result("tooluse_a") + "]"));
  EXPECT_NE(ok.prompt_text.find("21 C"), std::string::npos);
  EXPECT_EQ(error_of(claude_haiku(),
                     body_with(tools, "[" + ask + "," + use + "," + result("tooluse_b") + "]")),
            "The toolUseId tooluse_b of the toolResult block at messages.2.content matches no "
            "toolUse block of the previous turn.");
  EXPECT_EQ(error_of(claude_haiku(), body_with(tools, "[" + result("tooluse_a") + "]")),
            "The number of toolResult blocks at messages.0.content exceeds the number of toolUse "
            "blocks of previous turn.");
  const std::string no_config =
      R"({"messages":[)" + ask + "," + use + "," + result("tooluse_a") + "]}";
  EXPECT_EQ(error_of(claude_haiku(), no_config),
            "The toolConfig field must be defined when using toolUse and toolResult content "
            "blocks.");
}

// A fixture's tool call is answered when the request offers the tool with auto or any, with
// the given input kept; not once the last turn is the tool's result, nor for a tool not
// offered or a toolChoice naming another tool.
TEST(ConverseTools, FixtureRequestedToolCall) {
  const std::string other = R"({"toolSpec":{"name":"other","inputSchema":{"json":{}}}})";
  for (const char* choice : {"", R"(,"toolChoice":{"auto":{}})", R"(,"toolChoice":{"any":{}})"}) {
    auto request = converse_ok(claude_haiku(), body_with(R"({"tools":[)" + other + "," +
                                                         kWeatherTool + "]" + choice + "}"));
    auto answer = detail::requested_tool_answer(request, "get_weather", R"({"city":"Oslo"})");
    ASSERT_TRUE(answer) << choice;
    EXPECT_EQ(answer->stop_reason, StopReason::ToolUse);
    EXPECT_EQ(answer->tool_name, "get_weather");
    EXPECT_EQ(json::parse(answer->tool_input),
              json::parse(R"({"city":"Oslo","days":1,"unit":"celsius","detailed":true})"));
    EXPECT_TRUE(answer->tool_use_id.starts_with("tooluse_"));
    EXPECT_FALSE(detail::requested_tool_answer(request, "nope", ""));
  }
  auto named =
      converse_ok(claude_haiku(), body_with(R"({"tools":[)" + other + "," + kWeatherTool +
                                            R"(],"toolChoice":{"tool":{"name":"other"}}})"));
  EXPECT_FALSE(detail::requested_tool_answer(named, "get_weather", ""));
  auto no_tools = converse_ok(claude_haiku(), R"({"messages":[{"role":"user","content":[
      {"text":"Weather in Paris?"}]}]})");
  EXPECT_FALSE(detail::requested_tool_answer(no_tools, "get_weather", ""));
  auto finished = converse_ok(
      claude_haiku(), body_with(R"({"tools":[)" + kWeatherTool + "]}",
                                R"([{"role":"user","content":[{"text":"Weather in Paris?"}]},
                    {"role":"assistant","content":[{"toolUse":{"toolUseId":"tooluse_1",
                     "name":"get_weather","input":{}}}]},
                    {"role":"user","content":[{"toolResult":{"toolUseId":"tooluse_1",
                     "content":[{"text":"21 C"}]}}]}])"));
  EXPECT_TRUE(finished.answers_tool_result);
  EXPECT_FALSE(detail::requested_tool_answer(finished, "get_weather", ""));
}

}  // namespace
}  // namespace bedrock::emulator::model
