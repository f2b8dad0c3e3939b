// ConverseStream bodies read back by an independent event-stream reader: framing and CRCs,
// event order, deltas that rebuild the Converse answer exactly, stop reason and usage.
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

struct Streamed {
  std::vector<std::string> events;  // :event-type of each message
  std::vector<json> payloads;
  std::map<int, std::string> text;       // block index -> concatenated text deltas
  std::map<int, std::string> reasoning;  // block index -> concatenated reasoning deltas
};

Streamed read(const std::string& body) {
  auto r = bedrock::testing::read_event_stream(body);
  EXPECT_EQ(r.problem, "");
  Streamed s;
  for (const auto& m : r.messages) {
    EXPECT_EQ(m.headers.at(":message-type"), "event");
    EXPECT_EQ(m.headers.at(":content-type"), "application/json");
    s.events.push_back(m.headers.at(":event-type"));
    s.payloads.push_back(json::parse(m.payload));
    const json& p = s.payloads.back();
    if (s.events.back() == "contentBlockDelta") {
      const int index = p["contentBlockIndex"];
      if (p["delta"].contains("text")) s.text[index] += p["delta"]["text"].get<std::string>();
      if (p["delta"].contains("reasoningContent")) {
        s.reasoning[index] += p["delta"]["reasoningContent"]["text"].get<std::string>();
      }
    }
  }
  return s;
}

// A text answer: messageStart, deltas, contentBlockStop, messageStop, metadata, and the deltas
// rebuild exactly the text Converse returns for the same request.
TEST(ConverseStreamRender, EventsRebuildTheConverseAnswer) {
  auto r = parse_converse_request(
      claude_haiku(),
      R"({"messages":[{"role":"user","content":[{"text":"The harbour reopened on Monday after the storm. Ferries resumed their usual timetable. Caf\u00e9s opened early."}]}]})");
  ASSERT_TRUE(r) << r.error().message;
  const EmulatedAnswer a = default_answer(claude_haiku(), *r);
  const Streamed s = read(render_converse_stream(*r, a, 120));
  ASSERT_GE(s.events.size(), 5u);
  EXPECT_EQ(s.events.front(), "messageStart");
  EXPECT_EQ(s.payloads.front(), (json{{"role", "assistant"}}));
  EXPECT_GT(std::count(s.events.begin(), s.events.end(), "contentBlockDelta"), 3);
  EXPECT_EQ(s.events[s.events.size() - 3], "contentBlockStop");
  EXPECT_EQ(s.payloads[s.events.size() - 3], (json{{"contentBlockIndex", 0}}));
  EXPECT_EQ(s.events[s.events.size() - 2], "messageStop");
  EXPECT_EQ(s.payloads[s.events.size() - 2], (json{{"stopReason", "end_turn"}}));
  EXPECT_EQ(s.events.back(), "metadata");

  const json whole = json::parse(render_converse_response(*r, a, 120));
  EXPECT_EQ(s.text.at(0), whole["output"]["message"]["content"][0]["text"]);
  EXPECT_EQ(s.payloads.back()["usage"], whole["usage"]);
  EXPECT_EQ(s.payloads.back()["metrics"]["latencyMs"], 120);
}

// Reasoning models stream their reasoning as block 0 and the answer as block 1; a stop
// sequence and requested native fields travel in messageStop.
TEST(ConverseStreamRender, ReasoningBlockStopSequenceAndNativeFields) {
  auto d = parse_converse_request(
      deepseek(),
      R"({"messages":[{"role":"user","content":[{"text":"Explain tides in a few words please."}]}]})");
  ASSERT_TRUE(d);
  const EmulatedAnswer a = default_answer(deepseek(), *d);
  ASSERT_FALSE(a.reasoning.empty());
  Streamed s = read(render_converse_stream(*d, a, 1));
  EXPECT_EQ(s.reasoning.at(0), a.reasoning);
  EXPECT_EQ(s.text.at(1), a.text);
  EXPECT_EQ(std::count(s.events.begin(), s.events.end(), "contentBlockStop"), 2);

  auto r = parse_converse_request(
      claude_haiku(),
      R"({"messages":[{"role":"user","content":[{"text":"The cat sat on the mat. END of story."}]}],
          "inferenceConfig":{"stopSequences":["END"]},
          "additionalModelResponseFieldPaths":["/stop_sequence"]})");
  ASSERT_TRUE(r) << r.error().message;
  s = read(render_converse_stream(*r, default_answer(claude_haiku(), *r), 1));
  EXPECT_EQ(s.payloads[s.events.size() - 2],
            (json{{"stopReason", "stop_sequence"},
                  {"additionalModelResponseFields", {{"stop_sequence", "END"}}}}));
}

// An empty answer still opens and closes its block, so clients see a complete message.
TEST(ConverseStreamRender, EmptyAnswerIsStillAWholeMessage) {
  auto r = parse_converse_request(claude_haiku(),
                                  R"({"messages":[{"role":"user","content":[{"text":"x"}]}]})");
  ASSERT_TRUE(r);
  EmulatedAnswer empty;
  const Streamed s = read(render_converse_stream(*r, empty, 0));
  EXPECT_EQ(s.events, (std::vector<std::string>{"messageStart", "contentBlockStop", "messageStop",
                                                "metadata"}));
}

}  // namespace
}  // namespace bedrock::emulator::model
