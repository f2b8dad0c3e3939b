// Prompt-cache accounting over real loopback HTTP: the first Converse, ConverseStream or native
// Claude InvokeModel request with a cache point writes its prefix, the next one sharing it reads it
// until the emulator's clock passes the TTL; a family without prompt caching is refused.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "emulator_client.h"
#include "fakes/event_stream_reader.h"
#include "fakes/fake_clock.h"

namespace bedrock::emulator::testing {
namespace {

using nlohmann::json;
using namespace std::chrono_literals;

const std::string kSonnet = "us.anthropic.claude-3-7-sonnet-20250219-v1%3A0";

// A 100-token system prompt behind a cache point, then a question.
std::string cached_body(char fill, const char* question, const char* ttl = nullptr) {
  json point = {{"type", "default"}};
  if (ttl != nullptr) point["ttl"] = ttl;
  json body = {
      {"system", json::array({{{"text", std::string(400, fill)}}, {{"cachePoint", point}}})},
      {"messages",
       json::array({{{"role", "user"}, {"content", json::array({{{"text", question}}})}}})}};
  return body.dump();
}

json converse_usage(Emulator& emu, const std::string& model, const std::string& body) {
  auto r = send(post(emu.port(), "/model/" + model + "/converse", body));
  EXPECT_EQ(r.status, 200) << r.body;
  return json::parse(r.body, nullptr, false).value("usage", json());
}

json stream_usage(Emulator& emu, const std::string& model, const std::string& body) {
  auto r = send(post(emu.port(), "/model/" + model + "/converse-stream", body));
  EXPECT_EQ(r.status, 200) << r.body;
  for (const auto& m : bedrock::testing::read_event_stream(r.body).messages) {
    if (m.headers.at(":event-type") == "metadata") return json::parse(m.payload)["usage"];
  }
  ADD_FAILURE() << "no metadata event";
  return {};
}

// Converse writes the prefix; ConverseStream with another question reads it; six minutes
// later it is written again.
TEST(EmulatorPromptCache, ConverseWritesThenStreamReads) {
  FakeClock clock;
  auto emu = start_emulator(no_auth(), clock);
  const json first = converse_usage(*emu, kSonnet, cached_body('a', "What is it about?"));
  EXPECT_EQ(first["cacheWriteInputTokens"], 100);
  EXPECT_EQ(first["cacheReadInputTokens"], 0);
  EXPECT_EQ(first["inputTokens"], 5);  // "What is it about?": 17 characters
  EXPECT_EQ(first["totalTokens"], 105 + first["outputTokens"].get<int>());
  EXPECT_EQ(first["cacheDetails"], json::parse(R"([{"ttl":"5m","inputTokens":100}])"));

  clock.advance(2min);
  const json second = stream_usage(*emu, kSonnet, cached_body('a', "Who wrote it?"));
  EXPECT_EQ(second["cacheReadInputTokens"], 100);
  EXPECT_EQ(second["cacheWriteInputTokens"], 0);
  EXPECT_EQ(second["inputTokens"], 4);
  EXPECT_FALSE(second.contains("cacheDetails"));

  clock.advance(5min + 1s);
  const json expired = converse_usage(*emu, kSonnet, cached_body('a', "Who wrote it?"));
  EXPECT_EQ(expired["cacheWriteInputTokens"], 100);
  EXPECT_EQ(expired["cacheReadInputTokens"], 0);
}

// ConverseStream writes first (a 1h point), Converse reads after 30 minutes; a different
// model does not read the other's prefix.
TEST(EmulatorPromptCache, StreamWritesOneHourThenConverseReads) {
  FakeClock clock;
  auto emu = start_emulator(no_auth(), clock);
  const json first = stream_usage(*emu, kSonnet, cached_body('b', "Summary?", "1h"));
  EXPECT_EQ(first["cacheWriteInputTokens"], 100);
  EXPECT_EQ(first["cacheDetails"], json::parse(R"([{"ttl":"1h","inputTokens":100}])"));
  clock.advance(30min);
  EXPECT_EQ(
      converse_usage(*emu, kSonnet, cached_body('b', "Summary?", "1h"))["cacheReadInputTokens"],
      100);
  const json nova =
      converse_usage(*emu, "amazon.nova-lite-v1%3A0", cached_body('b', "Summary?", "1h"));
  EXPECT_EQ(nova["cacheReadInputTokens"], 0);
  EXPECT_EQ(nova["cacheWriteInputTokens"], 100);
}

// Without a cache point usage keeps its three members.
TEST(EmulatorPromptCache, NoCachePointNoCacheUsage) {
  auto emu = start_emulator(no_auth());
  const json usage = converse_usage(
      *emu, kSonnet, R"({"messages":[{"role":"user","content":[{"text":"Hello there"}]}]})");
  EXPECT_EQ(usage.size(), 3u) << usage;
}

// Claude 3 Haiku has no prompt caching: Bedrock's "extraneous key" refusal, for both
// operations.
TEST(EmulatorPromptCache, UnsupportedFamilyRefused) {
  auto emu = start_emulator(no_auth());
  const std::string body = cached_body('c', "Why?");
  for (const char* op : {"converse", "converse-stream"}) {
    auto r = send(post(emu->port(),
                       std::string("/model/anthropic.claude-3-haiku-20240307-v1%3A0/") + op, body));
    EXPECT_EQ(r.status, 400) << op;
    EXPECT_EQ(json::parse(r.body)["message"],
              "Malformed input request: #/system/1: extraneous key [cachePoint] is not "
              "permitted, please reformat your input and try again.")
        << op;
  }
}

// A native Claude body with cache_control on its 100-token system block.
std::string native_body(char fill, const char* question, const char* ttl = nullptr) {
  json control = {{"type", "ephemeral"}};
  if (ttl != nullptr) control["ttl"] = ttl;
  json body = {
      {"anthropic_version", "bedrock-2023-05-31"},
      {"max_tokens", 50},
      {"system",
       json::array(
           {{{"type", "text"}, {"text", std::string(400, fill)}, {"cache_control", control}}})},
      {"messages", json::array({{{"role", "user"}, {"content", question}}})}};
  return body.dump();
}

// InvokeModel shares the store: the first call writes (usage and headers say so, input counts
// only the question), the second reads; the 1h write is reported by TTL.
TEST(EmulatorPromptCache, InvokeModelWritesThenReads) {
  FakeClock clock;
  auto emu = start_emulator(no_auth(), clock);
  const std::string path = "/model/" + kSonnet + "/invoke";
  auto first = send(post(emu->port(), path, native_body('d', "What is it about?", "1h")));
  ASSERT_EQ(first.status, 200) << first.body;
  const json written = json::parse(first.body)["usage"];
  EXPECT_EQ(written["cache_creation_input_tokens"], 100);
  EXPECT_EQ(written["cache_read_input_tokens"], 0);
  EXPECT_EQ(written["input_tokens"], 5);
  EXPECT_EQ(written["cache_creation"],
            json::parse(R"({"ephemeral_5m_input_tokens":0,"ephemeral_1h_input_tokens":100})"));
  EXPECT_EQ(first.header("x-amzn-bedrock-input-token-count"), "5");
  EXPECT_EQ(first.header("x-amzn-bedrock-cache-write-input-token-count"), "100");
  EXPECT_EQ(first.header("x-amzn-bedrock-cache-read-input-token-count"), "0");

  clock.advance(30min);
  auto second = send(post(emu->port(), path, native_body('d', "Who wrote it?", "1h")));
  ASSERT_EQ(second.status, 200) << second.body;
  const json read = json::parse(second.body)["usage"];
  EXPECT_EQ(read["cache_read_input_tokens"], 100);
  EXPECT_EQ(read["cache_creation_input_tokens"], 0);
  EXPECT_EQ(second.header("x-amzn-bedrock-cache-read-input-token-count"), "100");

  // Without cache_control the usage and headers are as before.
  auto plain = send(post(emu->port(), path,
                         R"({"anthropic_version":"bedrock-2023-05-31","max_tokens":50,)"
                         R"("messages":[{"role":"user","content":"Hello there"}]})"));
  ASSERT_EQ(plain.status, 200) << plain.body;
  EXPECT_EQ(json::parse(plain.body)["usage"].size(), 2u);
  EXPECT_EQ(plain.header("x-amzn-bedrock-cache-read-input-token-count"), "");
}

// Claude 3 Haiku refuses cache_control as it refuses cachePoint.
TEST(EmulatorPromptCache, InvokeModelUnsupportedModelRefused) {
  auto emu = start_emulator(no_auth());
  auto r = send(post(emu->port(), "/model/anthropic.claude-3-haiku-20240307-v1%3A0/invoke",
                     native_body('e', "Why?")));
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(json::parse(r.body)["message"],
            "Malformed input request: #/system/0: extraneous key [cache_control] is not "
            "permitted, please reformat your input and try again.");
}

}  // namespace
}  // namespace bedrock::emulator::testing
