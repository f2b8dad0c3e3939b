// InvokeModelWithResponseStream chunks: for every family that streams, the chunks' text pieces
// rebuild exactly the text InvokeModel returns, and the last chunk carries the stop reason and
// invocation metrics with the same token counts; the others say they do not stream.
#include <gtest/gtest.h>

#include "bedrock/models/codec.h"
#include "emulator/model/answer.h"
#include "emulator/model/render.h"
#include "emulator/model/request.h"
#include "emulator/model/stream_render.h"
#include "test_models.h"

namespace bedrock::emulator::model {
namespace {

using models::InferenceParams;
using models::Prompt;
using nlohmann::json;
using namespace testing;  // NOLINT: test helpers

struct StreamingFamily {
  ModelInfo model;
  std::function<std::string(const json&)> piece;  // a chunk's text ("" when it has none)
  std::function<json(const json&)> whole;         // InvokeModel's text
  std::function<json(const json&)> stop;          // the last chunk's stop reason
};

std::vector<StreamingFamily> streaming_families() {
  auto str = [](const json& j) { return j.is_string() ? j.get<std::string>() : std::string(); };
  return {
      {claude_haiku(),
       [=](const json& c) {
         return c["type"] == "content_block_delta" ? str(c["delta"]["text"]) : "";
       },
       [](const json& b) { return b["content"][0]["text"]; },
       [](const json& c) { return c["type"] == "message_stop" ? json("metrics-only") : json(); }},
      {claude_v2(), [=](const json& c) { return str(c["completion"]); },
       [](const json& b) { return b["completion"]; },
       [](const json& c) { return c["stop_reason"]; }},
      {titan_express(), [=](const json& c) { return str(c["outputText"]); },
       [](const json& b) { return b["results"][0]["outputText"]; },
       [](const json& c) { return c["completionReason"]; }},
      {nova_lite(),
       [=](const json& c) {
         return c.contains("contentBlockDelta") ? str(c["contentBlockDelta"]["delta"]["text"]) : "";
       },
       [](const json& b) { return b["output"]["message"]["content"][0]["text"]; },
       [](const json& c) { return c.contains("metadata") ? json("metrics-only") : json(); }},
      {llama3(), [=](const json& c) { return str(c["generation"]); },
       [](const json& b) { return b["generation"]; },
       [](const json& c) { return c["stop_reason"]; }},
      {mistral_7b(), [=](const json& c) { return str(c["outputs"][0]["text"]); },
       [](const json& b) { return b["outputs"][0]["text"]; },
       [](const json& c) { return c["outputs"][0]["stop_reason"]; }},
      {deepseek(), [=](const json& c) { return str(c["choices"][0]["text"]); },
       [](const json& b) { return b["choices"][0]["text"]; },
       [](const json& c) { return c["choices"][0]["stop_reason"]; }},
      {mistral_large_2407(),
       [=](const json& c) { return str(c["choices"][0]["message"]["content"]); },
       [](const json& b) { return b["choices"][0]["message"]["content"]; },
       [](const json& c) { return c["choices"][0]["stop_reason"]; }},
      {cohere_command_r(),
       [=](const json& c) { return c["event_type"] == "text-generation" ? str(c["text"]) : ""; },
       [](const json& b) { return b["text"]; }, [](const json& c) { return c["finish_reason"]; }},
      {jamba(), [=](const json& c) { return str(c["choices"][0]["delta"]["content"]); },
       [](const json& b) { return b["choices"][0]["message"]["content"]; },
       [](const json& c) { return c["choices"][0]["finish_reason"]; }},
      // gpt-oss streams the same content InvokeModel returns, <reasoning> tags included.
      {gpt_oss(), [=](const json& c) { return str(c["choices"][0]["delta"]["content"]); },
       [](const json& b) { return b["choices"][0]["message"]["content"]; },
       [](const json& c) { return c["choices"][0]["finish_reason"]; }},
  };
}

EmulatedRequest request_for(const ModelInfo& model, int max_tokens) {
  Prompt prompt = Prompt::from_user(
      "The harbour reopened on Monday after the storm. Ferries resumed their usual timetable. "
      "Fishermen repaired nets along the quay.");
  InferenceParams params;
  params.max_tokens = max_tokens;
  auto body = codec_for(model.family).encode(prompt, params, model);
  if (!body) throw std::runtime_error(body.error().message);
  return parse_ok(model, *body);
}

TEST(NativeStream, ChunksRebuildTheInvokeAnswerForEveryStreamingFamily) {
  for (const auto& f : streaming_families()) {
    for (int max_tokens : {200, 5}) {
      SCOPED_TRACE(f.model.id + " max_tokens " + std::to_string(max_tokens));
      const EmulatedRequest request = request_for(f.model, max_tokens);
      const EmulatedAnswer answer = default_answer(f.model, request);
      auto chunks = render_native_stream(f.model, request, answer, {321, 45});
      ASSERT_TRUE(chunks.has_value());
      ASSERT_FALSE(chunks->empty());
      if (max_tokens == 200) {
        EXPECT_GE(chunks->size(), 3u);  // a long answer really streams
      }
      std::string text;
      for (const std::string& chunk : *chunks) text += f.piece(json::parse(chunk));
      const json whole = json::parse(render_native_response(f.model, request, answer));
      EXPECT_EQ(text, f.whole(whole));

      const json last = json::parse(chunks->back());
      const json& metrics = last["amazon-bedrock-invocationMetrics"];
      EXPECT_EQ(metrics["inputTokenCount"], answer.input_tokens);
      EXPECT_EQ(metrics["outputTokenCount"], answer.output_tokens);
      EXPECT_EQ(metrics["invocationLatency"], 321);
      EXPECT_EQ(metrics["firstByteLatency"], 45);
      EXPECT_FALSE(f.stop(last).is_null()) << last;
      for (std::size_t i = 0; i + 1 < chunks->size(); ++i) {
        EXPECT_FALSE(json::parse((*chunks)[i]).contains("amazon-bedrock-invocationMetrics"));
      }
    }
  }
}

// Claude's events in their documented order, the stop reason in message_delta.
TEST(NativeStream, ClaudeEventOrder) {
  const EmulatedRequest request = request_for(claude_haiku(), 5);
  const EmulatedAnswer answer = default_answer(claude_haiku(), request);
  auto chunks = render_native_stream(claude_haiku(), request, answer, {});
  ASSERT_TRUE(chunks);
  std::vector<std::string> types;
  for (const auto& c : *chunks) types.push_back(json::parse(c)["type"]);
  EXPECT_EQ(types.front(), "message_start");
  EXPECT_EQ(types[1], "content_block_start");
  EXPECT_EQ(types[types.size() - 3], "content_block_stop");
  EXPECT_EQ(types[types.size() - 2], "message_delta");
  EXPECT_EQ(types.back(), "message_stop");
  const json delta = json::parse((*chunks)[chunks->size() - 2]);
  EXPECT_EQ(delta["delta"]["stop_reason"], "max_tokens");
  EXPECT_EQ(delta["usage"]["output_tokens"], answer.output_tokens);
  const json start = json::parse(chunks->front());
  EXPECT_EQ(start["message"]["model"], "claude-3-haiku-20240307");
  EXPECT_EQ(start["message"]["usage"]["input_tokens"], answer.input_tokens);
}

TEST(NativeStream, FamiliesWithoutAKnownStreamShapeDoNotStream) {
  for (const ModelInfo& model : {cohere_command(), jurassic()}) {
    SCOPED_TRACE(model.id);
    const EmulatedRequest request = request_for(model, 50);
    EXPECT_FALSE(render_native_stream(model, request, default_answer(model, request), {}));
  }
}

// Command R: stream-start with the generation id, text-generation pieces, stream-end with
// the whole response; only the last chunk is finished.
TEST(NativeStream, CohereCommandREventOrder) {
  const EmulatedRequest request = request_for(cohere_command_r(), 200);
  const EmulatedAnswer answer = default_answer(cohere_command_r(), request);
  auto chunks = render_native_stream(cohere_command_r(), request, answer, {});
  ASSERT_TRUE(chunks);
  ASSERT_GE(chunks->size(), 3u);
  const json first = json::parse(chunks->front());
  EXPECT_EQ(first["event_type"], "stream-start");
  EXPECT_TRUE(first["generation_id"].is_string());
  const json last = json::parse(chunks->back());
  EXPECT_EQ(last["event_type"], "stream-end");
  EXPECT_EQ(last["is_finished"], true);
  EXPECT_EQ(last["response"]["text"], answer.text);
  EXPECT_EQ(last["response"]["generation_id"], first["generation_id"]);
  for (std::size_t i = 1; i + 1 < chunks->size(); ++i) {
    const json c = json::parse((*chunks)[i]);
    EXPECT_EQ(c["event_type"], "text-generation");
    EXPECT_EQ(c["is_finished"], false);
  }
}

// gpt-oss: chat.completion.chunk objects, the role in the first delta, the reasoning tags
// never split across chunks, usage and the finish reason at the end.
TEST(NativeStream, GptOssChunks) {
  const EmulatedRequest request = request_for(gpt_oss(), 200);
  const EmulatedAnswer answer = default_answer(gpt_oss(), request);
  ASSERT_FALSE(answer.reasoning.empty());
  auto chunks = render_native_stream(gpt_oss(), request, answer, {}, {"req-1", 1700000000});
  ASSERT_TRUE(chunks);
  const json first = json::parse(chunks->front());
  EXPECT_EQ(first["object"], "chat.completion.chunk");
  EXPECT_EQ(first["created"], 1700000000);
  EXPECT_EQ(first["model"], "openai.gpt-oss-20b-1:0");
  EXPECT_EQ(first["choices"][0]["delta"]["role"], "assistant");
  EXPECT_EQ(first["choices"][0]["delta"]["content"], "<reasoning>");
  bool closed = false;
  for (const auto& c : *chunks) {
    closed = closed || json::parse(c)["choices"][0]["delta"]["content"] == "</reasoning>";
  }
  EXPECT_TRUE(closed);
  const json last = json::parse(chunks->back());
  EXPECT_EQ(last["choices"][0]["finish_reason"], "stop");
  EXPECT_EQ(last["usage"]["completion_tokens"], answer.output_tokens);
}

}  // namespace
}  // namespace bedrock::emulator::model
