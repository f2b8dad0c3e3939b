// Claude's native cache_control blocks in the emulator (docs/wire-protocol.md §8.7): checked as
// Anthropic does behind Bedrock, refused for models without prompt caching, each one turned into a
// prefix that includes its own block, and the cache counts rendered in Claude's usage (body and
// stream) so the client's codec reads them back.
#include <gtest/gtest.h>

#include "bedrock/models/codec.h"
#include "emulator/model/answer.h"
#include "emulator/model/render.h"
#include "emulator/model/request_checks.h"
#include "emulator/model/stream_render.h"
#include "test_models.h"
#include "tests/unit/models/stream_test_support.h"

namespace bedrock::emulator::model {
namespace {

using nlohmann::json;
using namespace testing;  // NOLINT: test helpers

const std::string kSystem(400, 's');  // 100 tokens

json ephemeral(const char* ttl = nullptr) {
  json control{{"type", "ephemeral"}};
  if (ttl != nullptr) control["ttl"] = ttl;
  return control;
}

json cached_body() {
  return json{
      {"anthropic_version", "bedrock-2023-05-31"},
      {"max_tokens", 100},
      {"system",
       json::array({{{"type", "text"}, {"text", kSystem}, {"cache_control", ephemeral("1h")}}})},
      {"messages",
       json::array(
           {{{"role", "user"},
             {"content", json::array({{{"type", "text"},
                                       {"text", std::string(80, 'u')},
                                       {"cache_control", ephemeral()}},
                                      {{"type", "text"}, {"text", "What is in it?"}}})}}})}};
}

Result<EmulatedRequest> parse(const ModelInfo& m, const json& body) {
  return parse_native_request(m, body.dump());
}

std::string anthropic_cache_error(const ModelInfo& m, const json& body) {
  auto r = parse(m, body);
  if (r) return "";
  EXPECT_EQ(r.error().aws_type, "ValidationException");
  return r.error().message;
}

// A prefix ends with (and includes) its marked block; TTLs as asked, 5 minutes by default.
TEST(AnthropicPromptCache, PrefixesIncludeTheMarkedBlock) {
  auto r = parse(claude_sonnet_4(), cached_body());
  ASSERT_TRUE(r) << r.error().message;
  ASSERT_EQ(r->cache_prefixes.size(), 2u);
  EXPECT_EQ(r->cache_prefixes[0].tokens, 100);
  EXPECT_EQ(r->cache_prefixes[1].tokens, 120);  // system + the marked 20-token block
  EXPECT_TRUE(r->cache_prefixes[0].one_hour);
  EXPECT_EQ(r->cache_prefixes[0].ttl_seconds, 3600);
  EXPECT_EQ(r->cache_prefixes[1].ttl_seconds, 300);
  EXPECT_EQ(r->cache_prefixes[0].digest.size(), 32u);
  EXPECT_LE(r->cache_prefixes[1].tokens, r->input_tokens);
}

// What follows a breakpoint does not change its digest; moving or retiming a breakpoint keys the
// same prompt; the prefix's text and the model do change it.
TEST(AnthropicPromptCache, DigestDependsOnPrefixAndModelOnly) {
  const auto first = parse(claude_sonnet_4(), cached_body())->cache_prefixes;
  json later = cached_body();
  later["messages"][0]["content"][1]["text"] = "Something else?";
  EXPECT_EQ(parse(claude_sonnet_4(), later)->cache_prefixes[1].digest, first[1].digest);
  json retimed = cached_body();
  retimed["messages"][0]["content"][0]["cache_control"] = ephemeral("5m");
  EXPECT_EQ(parse(claude_sonnet_4(), retimed)->cache_prefixes[1].digest, first[1].digest);
  json changed = cached_body();
  changed["system"][0]["text"] = kSystem + "!";
  EXPECT_NE(parse(claude_sonnet_4(), changed)->cache_prefixes[0].digest, first[0].digest);
  const ModelInfo opus =
      model("anthropic.claude-opus-4-20250514-v1:0", ModelFamily::AnthropicMessages, 32000);
  EXPECT_NE(parse(opus, cached_body())->cache_prefixes[0].digest, first[0].digest);
}

// No cache_control, no prefixes: the store is never consulted.
TEST(AnthropicPromptCache, NoCacheControlNoPrefix) {
  json body = cached_body();
  body["system"][0].erase("cache_control");
  body["messages"][0]["content"][0].erase("cache_control");
  auto r = parse(claude_sonnet_4(), body);
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_TRUE(r->cache_prefixes.empty());
}

// cache_control must be {"type":"ephemeral","ttl"?:"5m"|"1h"}.
TEST(AnthropicPromptCache, ShapeChecked) {
  json body = cached_body();
  body["system"][0]["cache_control"] = {{"type", "persistent"}};
  EXPECT_NE(anthropic_cache_error(claude_sonnet_4(), body).find("#/system/0/cache_control/type"),
            std::string::npos);
  body["system"][0]["cache_control"] = ephemeral("10m");
  EXPECT_NE(anthropic_cache_error(claude_sonnet_4(), body).find("#/system/0/cache_control/ttl"),
            std::string::npos);
  body["system"][0]["cache_control"] = {{"type", "ephemeral"}, {"scope", "global"}};
  EXPECT_NE(anthropic_cache_error(claude_sonnet_4(), body).find("extraneous key [scope]"),
            std::string::npos);
  body["system"][0]["cache_control"] = "ephemeral";
  EXPECT_NE(anthropic_cache_error(claude_sonnet_4(), body).find("#/system/0/cache_control"),
            std::string::npos);
}

// Claude 3 Haiku takes no prompt caching on Bedrock: the "extraneous key" wording.
TEST(AnthropicPromptCache, UnsupportedModelRefused) {
  EXPECT_EQ(anthropic_cache_error(claude_haiku(), cached_body()),
            malformed("#/system/0: extraneous key [cache_control] is not permitted"));
}

// A fifth breakpoint, and a 1h one after a 5m one, get Anthropic's messages.
TEST(AnthropicPromptCache, LimitsAsAnthropic) {
  json body = cached_body();
  for (int i = 0; i < 3; ++i) {
    body["messages"][0]["content"].push_back(
        {{"type", "text"}, {"text", "more"}, {"cache_control", ephemeral()}});
  }
  EXPECT_EQ(anthropic_cache_error(claude_sonnet_4(), body),
            "A maximum of 4 blocks with cache_control may be provided. Found 5.");
  json order = cached_body();
  order["system"][0]["cache_control"] = ephemeral();
  order["messages"][0]["content"][0]["cache_control"] = ephemeral("1h");
  EXPECT_EQ(anthropic_cache_error(claude_sonnet_4(), order),
            "messages.0.content.0.cache_control.ttl: a ttl='1h' cache_control block must not "
            "come after a ttl='5m' cache_control block. Note that blocks are processed in the "
            "following order: `tools`, `system`, `messages`.");
}

// The body's usage: uncached input, reads, writes and their TTL split; the client codec reads
// the same counts from the body and from the stream.
TEST(AnthropicPromptCache, UsageReadBackByTheClientCodec) {
  auto r = parse(claude_sonnet_4(), cached_body());
  ASSERT_TRUE(r);
  const EmulatedAnswer answer = default_answer(claude_sonnet_4(), *r);
  ResponseContext context;
  context.cache = CacheUsage{true, 0, 120, 100};
  const std::string body = render_native_response(claude_sonnet_4(), *r, answer, context);
  const json usage = json::parse(body)["usage"];
  EXPECT_EQ(usage["input_tokens"], r->input_tokens - 120);
  EXPECT_EQ(usage["cache_creation_input_tokens"], 120);
  EXPECT_EQ(usage["cache_read_input_tokens"], 0);
  EXPECT_EQ(usage["cache_creation"],
            json::parse(R"({"ephemeral_5m_input_tokens":20,"ephemeral_1h_input_tokens":100})"));
  const auto& codec = models::codec_for(ModelFamily::AnthropicMessages);
  auto decoded = codec.decode(body);
  ASSERT_TRUE(decoded) << decoded.error().message;
  EXPECT_EQ(decoded->usage.cache_write_input_tokens, 120);
  EXPECT_EQ(decoded->usage.cache_write_1h_input_tokens, 100);

  auto chunks = render_native_stream(claude_sonnet_4(), *r, answer, {5, 5}, context);
  ASSERT_TRUE(chunks.has_value());
  models::StreamState state;
  models::StreamAccumulator acc;
  for (const std::string& chunk : *chunks) {
    auto events = codec.decode_stream_chunk(chunk, state);
    ASSERT_TRUE(events) << events.error().message;
    for (const auto& e : *events) acc.add(e);
  }
  EXPECT_EQ(acc.usage().input_tokens, decoded->usage.input_tokens);
  EXPECT_EQ(acc.usage().cache_write_input_tokens, 120);
  EXPECT_EQ(acc.usage().cache_write_1h_input_tokens, 100);
  EXPECT_EQ(acc.usage().output_tokens, decoded->usage.output_tokens);
  // Without cache usage the body keeps its two counts.
  EXPECT_EQ(json::parse(render_native_response(claude_sonnet_4(), *r, answer))["usage"].size(), 2u);
}

}  // namespace
}  // namespace bedrock::emulator::model
