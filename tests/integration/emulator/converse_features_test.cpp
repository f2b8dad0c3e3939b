// Converse features over real loopback HTTP (issue 13): fixture-requested tool calls,
// structured output, reasoning with signatures, each answered the same by Converse and by
// ConverseStream once the stream's events are put back together.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "emulator_client.h"
#include "fakes/event_stream_reader.h"

namespace bedrock::emulator::testing {
namespace {

using nlohmann::json;

std::string path(const std::string& model, const char* operation) {
  std::string encoded;
  for (char c : model) encoded += c == ':' ? std::string("%3A") : std::string(1, c);
  return "/model/" + encoded + "/" + operation;
}

// A ConverseStream answer put back into Converse's shape: {"output":{"message":{"role",
// "content"}},"stopReason","usage"}, tool inputs parsed, reasoning text and signature joined.
json assemble(const std::string& stream_body) {
  auto read = bedrock::testing::read_event_stream(stream_body);
  EXPECT_EQ(read.problem, "");
  json content = json::array();
  json out;
  std::map<int, std::string> tool_inputs;
  for (const auto& m : read.messages) {
    const std::string& event = m.headers.at(":event-type");
    const json p = json::parse(m.payload);
    if (event == "messageStart") out["output"]["message"]["role"] = p["role"];
    if (event == "contentBlockStart" || event == "contentBlockDelta") {
      const int index = p["contentBlockIndex"].get<int>();
      while (static_cast<int>(content.size()) <= index) content.push_back(json::object());
      json& block = content[index];
      if (event == "contentBlockStart") {
        block["toolUse"] = p["start"]["toolUse"];
        continue;
      }
      const json& delta = p["delta"];
      if (delta.contains("text")) {
        block["text"] = block.value("text", "") + delta["text"].get<std::string>();
      } else if (delta.contains("toolUse")) {
        tool_inputs[index] += delta["toolUse"]["input"].get<std::string>();
      } else if (delta.contains("reasoningContent")) {
        json& r = block["reasoningContent"]["reasoningText"];
        if (r.is_null()) r = json::object();
        const json& d = delta["reasoningContent"];
        if (d.contains("text")) r["text"] = r.value("text", "") + d["text"].get<std::string>();
        if (d.contains("signature")) r["signature"] = d["signature"];
      }
    }
    if (event == "messageStop") out["stopReason"] = p["stopReason"];
    if (event == "metadata") out["usage"] = p["usage"];
  }
  for (const auto& [index, text] : tool_inputs) {
    content[index]["toolUse"]["input"] = json::parse(text);
  }
  out["output"]["message"]["content"] = content;
  return out;
}

struct Both {
  json whole;   // the Converse answer (metrics dropped)
  json joined;  // the ConverseStream answer, assembled
};

// Sends `body` through Converse and ConverseStream; both must succeed.
Both converse_both(Emulator& emu, const std::string& model, const std::string& body) {
  auto r = send(post(emu.port(), path(model, "converse"), body));
  EXPECT_EQ(r.status, 200) << r.body;
  auto s = send(post(emu.port(), path(model, "converse-stream"), body));
  EXPECT_EQ(s.status, 200) << s.body;
  json whole = json::parse(r.body, nullptr, false);
  if (whole.is_object()) whole.erase("metrics");
  return {whole, s.status == 200 ? assemble(s.body) : json()};
}

const char* kWeatherTool =
    R"({"toolSpec":{"name":"get_weather","inputSchema":{"json":{"type":"object",
        "properties":{"city":{"type":"string"},"days":{"type":"integer"}},
        "required":["city","days"]}}}})";

// A fixture asks for a tool: with toolChoice auto the answer is the toolUse (given input
// kept, required rest filled in), streamed the same; after the tool's result the fixture's
// text finishes the conversation.
TEST(ConverseFeatures, FixtureAsksForAToolAndTheLoopFinishes) {
  auto options = no_auth();
  options.fixtures = *Fixtures::parse(R"([{"contains": "weather",
      "tool": {"name": "get_weather", "input": {"city": "Oslo"}}, "response": "Mild, 12 C."}])");
  auto emu = start_emulator(std::move(options));
  const std::string model = "anthropic.claude-3-haiku-20240307-v1:0";
  const std::string ask = R"({"role":"user","content":[{"text":"What is the weather?"}]})";
  const std::string config = std::string(R"("toolConfig":{"tools":[)") + kWeatherTool + "]}";
  auto first = converse_both(*emu, model, "{\"messages\":[" + ask + "]," + config + "}");
  EXPECT_EQ(first.whole["stopReason"], "tool_use");
  const json& use = first.whole["output"]["message"]["content"][0]["toolUse"];
  EXPECT_EQ(use["name"], "get_weather");
  EXPECT_EQ(use["input"], json::parse(R"({"city":"Oslo","days":1})"));
  EXPECT_EQ(first.joined, first.whole);

  const std::string result = R"({"role":"user","content":[{"toolResult":{"toolUseId":")" +
                             use["toolUseId"].get<std::string>() +
                             R"(","content":[{"text":"12 C"}]}}]})";
  auto last =
      converse_both(*emu, model,
                    "{\"messages\":[" + ask + "," + first.whole["output"]["message"].dump() + "," +
                        result + "]," + config + "}");
  EXPECT_EQ(last.whole["stopReason"], "end_turn");
  EXPECT_EQ(last.whole["output"]["message"]["content"][0]["text"], "Mild, 12 C.");
  EXPECT_EQ(last.joined, last.whole);

  // Without the tool on offer the fixture's text answers.
  auto plain = converse_both(*emu, model, "{\"messages\":[" + ask + "]}");
  EXPECT_EQ(plain.whole["output"]["message"]["content"][0]["text"], "Mild, 12 C.");
}

// Structured output: the answer's text is JSON with the schema's required members, streamed
// the same; a model without structured output is refused before any stream.
TEST(ConverseFeatures, StructuredOutputAnswersJson) {
  auto emu = start_emulator(no_auth());
  const json schema = json::parse(R"({"type":"object","properties":{"title":{"type":"string"},
      "year":{"type":"integer"}},"required":["title","year"]})");
  json body = json::parse(R"({"messages":[{"role":"user","content":[{"text":"A film?"}]}]})");
  body["outputConfig"]["textFormat"] = {
      {"type", "json_schema"}, {"structure", {{"jsonSchema", {{"schema", schema.dump()}}}}}};
  auto both = converse_both(*emu, "us.anthropic.claude-sonnet-4-20250514-v1:0", body.dump());
  const json value =
      json::parse(both.whole["output"]["message"]["content"][0]["text"].get<std::string>());
  EXPECT_TRUE(value["title"].is_string());
  EXPECT_TRUE(value["year"].is_number_integer());
  EXPECT_EQ(both.joined, both.whole);
  auto refused = send(post(
      emu->port(), path("anthropic.claude-3-haiku-20240307-v1:0", "converse-stream"), body.dump()));
  EXPECT_EQ(refused.status, 400);
  EXPECT_EQ(refused.error_type(), "ValidationException");
}

// Reasoning round trip: a signed reasoning block before the text (streamed the same), the
// assistant turn sent back unchanged is accepted, with its reasoning altered it is refused.
TEST(ConverseFeatures, ReasoningRoundTripChecksTheSignature) {
  auto emu = start_emulator(no_auth());
  const std::string model = "us.anthropic.claude-3-7-sonnet-20250219-v1:0";
  json body = json::parse(
      R"({"messages":[{"role":"user","content":[{"text":"Why is the sky blue? Explain."}]}],
      "inferenceConfig":{"maxTokens":2048},
      "additionalModelRequestFields":{"thinking":{"type":"enabled","budget_tokens":1024}}})");
  auto first = converse_both(*emu, model, body.dump());
  const json& content = first.whole["output"]["message"]["content"];
  ASSERT_EQ(content.size(), 2u) << first.whole.dump();
  EXPECT_FALSE(
      content[0]["reasoningContent"]["reasoningText"]["signature"].get<std::string>().empty());
  EXPECT_EQ(first.joined, first.whole);

  body["messages"].push_back(first.whole["output"]["message"]);
  body["messages"].push_back(json::parse(R"({"role":"user","content":[{"text":"Thanks."}]})"));
  auto again = converse_both(*emu, model, body.dump());
  EXPECT_EQ(again.whole["stopReason"], "end_turn");
  body["messages"][1]["content"][0]["reasoningContent"]["reasoningText"]["text"] = "Altered.";
  for (const char* operation : {"converse", "converse-stream"}) {
    auto refused = send(post(emu->port(), path(model, operation), body.dump()));
    EXPECT_EQ(refused.status, 400);
    EXPECT_EQ(json::parse(refused.body)["message"],
              "The model returned the following errors: messages.1.content.0: Invalid "
              "`signature` in `thinking` block");
  }
}

// Documents: with a text block beside them they are answered (streamed the same); alone,
// Bedrock's refusal arrives before any stream; an image for a model without vision is refused.
TEST(ConverseFeatures, DocumentsTravelWithText) {
  auto emu = start_emulator(no_auth());
  const std::string model = "anthropic.claude-3-haiku-20240307-v1:0";
  const json document =
      json::parse(R"({"document":{"format":"txt","name":"notes","source":{"bytes":"aGVsbG8="}}})");
  json body = {
      {"messages", {{{"role", "user"}, {"content", {document, {{"text", "Summarize."}}}}}}}};
  auto both = converse_both(*emu, model, body.dump());
  EXPECT_EQ(both.whole["stopReason"], "end_turn");
  EXPECT_EQ(both.joined, both.whole);
  body["messages"][0]["content"] = json::array({document});
  for (const char* operation : {"converse", "converse-stream"}) {
    auto refused = send(post(emu->port(), path(model, operation), body.dump()));
    EXPECT_EQ(refused.status, 400);
    EXPECT_EQ(json::parse(refused.body)["message"],
              "A text block must be included when using documents.");
  }
  json image = {
      {"messages",
       {{{"role", "user"}, {"content", json::parse(R"([{"image":{"format":"png","source":{"bytes":
                       "iVBORw0KGgo="}}},{"text":"What is it?"}])")}}}}};
  EXPECT_EQ(send(post(emu->port(), path("amazon.titan-text-express-v1", "converse"), image.dump()))
                .status,
            400);
  EXPECT_EQ(send(post(emu->port(), path(model, "converse"), image.dump())).status, 200);
}

}  // namespace
}  // namespace bedrock::emulator::testing
