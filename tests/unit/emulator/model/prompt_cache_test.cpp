// Converse cachePoint blocks in the emulator: checked as the service model and Bedrock do,
// accepted for the families with prompt caching and refused elsewhere, and each one turned
// into a prefix digest and token count that depend only on what comes before it.
#include <gtest/gtest.h>

#include "emulator/model/answer.h"
#include "emulator/model/render.h"
#include "emulator/model/request_checks.h"
#include "emulator/model/stream_render.h"
#include "fakes/event_stream_reader.h"
#include "test_models.h"
#include "tests/unit/models/stream_test_support.h"

namespace bedrock::emulator::model {
namespace {

using nlohmann::json;
using namespace testing;  // NOLINT: test helpers

const std::string kSystem(400, 's');  // 100 tokens

json body_with_points() {
  return json{
      {"system", json::array({{{"text", kSystem}}, {{"cachePoint", {{"type", "default"}}}}})},
      {"messages", json::array({{{"role", "user"},
                                 {"content", json::array({{{"text", std::string(80, 'u')}},
                                                          {{"cachePoint", {{"type", "default"}}}},
                                                          {{"text", "What is in it?"}}})}}})}};
}

Result<EmulatedRequest> converse(const ModelInfo& m, const json& body) {
  return parse_converse_request(m, body.dump());
}

std::string prompt_cache_error(const ModelInfo& m, const json& body) {
  auto r = converse(m, body);
  if (r) return "";
  EXPECT_EQ(r.error().aws_type, "ValidationException");
  return r.error().message;
}

// Each cache point becomes a prefix counting the text before it, 5 minutes by default.
TEST(ConversePromptCache, PrefixesCountTheTextBeforeEachCachePoint) {
  auto r = converse(claude_sonnet_4(), body_with_points());
  ASSERT_TRUE(r) << r.error().message;
  ASSERT_EQ(r->cache_prefixes.size(), 2u);
  EXPECT_EQ(r->cache_prefixes[0].tokens, 100);
  EXPECT_EQ(r->cache_prefixes[1].tokens, 120);  // system + the 20-token text before it
  EXPECT_EQ(r->cache_prefixes[0].ttl_seconds, 300);
  EXPECT_EQ(r->cache_prefixes[0].digest.size(), 32u);
  EXPECT_NE(r->cache_prefixes[0].digest, r->cache_prefixes[1].digest);
  EXPECT_LE(r->cache_prefixes[1].tokens, r->input_tokens);
}

// A body without cache points carries no prefixes, so the store is never consulted.
TEST(ConversePromptCache, NoCachePointNoPrefix) {
  json body = body_with_points();
  body["system"].erase(1);
  body["messages"][0]["content"].erase(1);
  auto r = converse(claude_sonnet_4(), body);
  ASSERT_TRUE(r);
  EXPECT_TRUE(r->cache_prefixes.empty());
}

// What follows a cache point does not change its digest; what precedes it and the model do.
TEST(ConversePromptCache, DigestDependsOnPrefixAndModelOnly) {
  const auto first = converse(claude_sonnet_4(), body_with_points())->cache_prefixes;
  json later = body_with_points();
  later["messages"][0]["content"][2]["text"] = "Something else entirely?";
  EXPECT_EQ(converse(claude_sonnet_4(), later)->cache_prefixes[1].digest, first[1].digest);
  json changed = body_with_points();
  changed["system"][0]["text"] = kSystem + "!";
  EXPECT_NE(converse(claude_sonnet_4(), changed)->cache_prefixes[0].digest, first[0].digest);
  EXPECT_NE(converse(nova_lite(), body_with_points())->cache_prefixes[0].digest, first[0].digest);
}

// ttl "1h" is kept per cache point; a tool cache point counts no tokens (tools are not input
// tokens here).
TEST(ConversePromptCache, OneHourTtlAndToolCachePoint) {
  json body = body_with_points();
  body["system"][1]["cachePoint"]["ttl"] = "1h";
  body["toolConfig"] = json::parse(R"({"tools":[{"toolSpec":{"name":"look","inputSchema":
      {"json":{"type":"object"}}}},{"cachePoint":{"type":"default"}}]})");
  auto r = converse(claude_sonnet_4(), body);
  ASSERT_TRUE(r) << r.error().message;
  ASSERT_EQ(r->cache_prefixes.size(), 3u);
  EXPECT_EQ(r->cache_prefixes[0].tokens, 0);
  EXPECT_EQ(r->cache_prefixes[1].ttl_seconds, 3600);
  EXPECT_TRUE(r->cache_prefixes[1].one_hour);
  EXPECT_EQ(r->cache_prefixes[2].ttl_seconds, 300);
}

// A family without prompt caching refuses the block with the "extraneous key" wording,
// naming a message's cache point first.
TEST(ConversePromptCache, UnsupportedFamilyRefused) {
  EXPECT_EQ(prompt_cache_error(llama3(), body_with_points()),
            malformed("#/messages/0/content/1: extraneous key [cachePoint] is not permitted"));
  json system_only = body_with_points();
  system_only["messages"][0]["content"].erase(1);
  EXPECT_EQ(prompt_cache_error(claude_haiku(), system_only),
            malformed("#/system/1: extraneous key [cachePoint] is not permitted"));
}

// The service model's CachePointBlock: type required and "default", ttl "5m" or "1h".
TEST(ConversePromptCache, ShapeCheckedAsTheServiceModel) {
  json body = body_with_points();
  body["system"][1]["cachePoint"] = json::object();
  EXPECT_EQ(prompt_cache_error(claude_sonnet_4(), body),
            "1 validation error detected: Value null at 'system.2.member.cachePoint.type' failed "
            "to satisfy constraint: Member must not be null");
  body["system"][1]["cachePoint"] = {{"type", "default"}, {"ttl", "10m"}};
  EXPECT_EQ(prompt_cache_error(claude_sonnet_4(), body),
            "1 validation error detected: Value '10m' at 'system.2.member.cachePoint.ttl' failed "
            "to satisfy constraint: Member must satisfy enum value set: [5m, 1h]");
  body = body_with_points();
  body["messages"][0]["content"][1]["cachePoint"]["type"] = "ephemeral";
  EXPECT_EQ(prompt_cache_error(claude_sonnet_4(), body),
            "1 validation error detected: Value 'ephemeral' at "
            "'messages.1.member.content.2.member.cachePoint.type' failed to satisfy constraint: "
            "Member must satisfy enum value set: [default]");
}

// More than four cache points are refused.
TEST(ConversePromptCache, AtMostFourCachePoints) {
  json body = body_with_points();
  for (int i = 0; i < 3; ++i) body["system"].push_back({{"cachePoint", {{"type", "default"}}}});
  EXPECT_EQ(prompt_cache_error(claude_sonnet_4(), body),
            "A maximum of 4 blocks with cache_control may be provided. Found 5.");
}

// Usage with cache tokens: inputTokens is the uncached rest, totalTokens adds reads and
// writes, cacheDetails names the written TTL; the stream's metadata says the same.
TEST(ConversePromptCache, UsageRendersCacheTokens) {
  auto r = converse(claude_sonnet_4(), body_with_points());
  ASSERT_TRUE(r);
  EmulatedAnswer answer;
  answer.text = "It holds s.";
  answer.input_tokens = r->input_tokens;
  answer.output_tokens = 3;
  CacheUsage cache{true, 100, 20, 0};
  const json usage = json::parse(render_converse_response(*r, answer, 5, cache))["usage"];
  EXPECT_EQ(usage["inputTokens"], r->input_tokens - 120);
  EXPECT_EQ(usage["cacheReadInputTokens"], 100);
  EXPECT_EQ(usage["cacheWriteInputTokens"], 20);
  EXPECT_EQ(usage["totalTokens"], r->input_tokens + 3);
  EXPECT_EQ(usage["cacheDetails"], json::parse(R"([{"ttl":"5m","inputTokens":20}])"));
  auto events = bedrock::testing::read_event_stream(render_converse_stream(*r, answer, 5, cache));
  ASSERT_FALSE(events.messages.empty());
  EXPECT_EQ(json::parse(events.messages.back().payload)["usage"], usage);
  // Without cache points the usage keeps its three members.
  EXPECT_FALSE(json::parse(render_converse_response(*r, answer, 5))["usage"].contains(
      "cacheReadInputTokens"));
}

// The client's ConverseStream decoder reads the emulator's cache counts and the uncached rest.
TEST(ConversePromptCache, ClientStreamDecoderReadsCacheUsage) {
  auto r = converse(claude_sonnet_4(), body_with_points());
  ASSERT_TRUE(r);
  const EmulatedAnswer answer = default_answer(claude_sonnet_4(), *r);
  const CacheUsage cache{true, 120, 0, 0};
  auto events =
      models::testing::decode_converse_bytes(render_converse_stream(*r, answer, 5, cache), 3);
  ASSERT_TRUE(events.has_value()) << events.error().message;
  const auto acc = models::testing::accumulate(*events);
  EXPECT_EQ(acc.usage().cache_read_input_tokens, 120);
  EXPECT_EQ(acc.usage().cache_write_input_tokens, 0);
  EXPECT_EQ(acc.usage().input_tokens, r->input_tokens - 120);
}

}  // namespace
}  // namespace bedrock::emulator::model
