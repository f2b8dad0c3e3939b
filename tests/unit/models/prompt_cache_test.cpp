// Prompt caching: cachePoint blocks against golden bodies (docs/wire-protocol.md §8.5), left out
// for models that do not take them, cache usage read the same way from whole bodies and streams,
// and cost at the registry's cached rates.
#include <gtest/gtest.h>

#include "bedrock/models/codec.h"
#include "bedrock/models/converse.h"
#include "bedrock/models/stream.h"
#include "codec_test_support.h"

namespace bedrock::models {
namespace {

using nlohmann::json;
using testing::golden_json;
using testing::kSonnet37;
using testing::max_tokens;

Prompt cached_prompt() {
  Prompt p;
  p.system = "You are a careful lawyer.";
  p.system_cache_point = CachePoint{CacheTtl::OneHour};
  Message contract{Role::User, "Here is a long contract."};
  contract.cache_point = CachePoint{};
  p.messages = {contract, {Role::Assistant, "Read it."}, {Role::User, "Who signs it?"}};
  p.tools.tools.push_back({"lookup_party", "Find a party by name.",
                           R"({"type":"object","properties":{"name":{"type":"string"}}})"});
  p.tools.cache_point = CachePoint{CacheTtl::FiveMinutes};
  return p;
}

// Cache points after the system prompt (1h), a message (default ttl) and the tools (5m).
TEST(PromptCache, CachePointsMatchGolden) {
  auto body = encode_converse(cached_prompt(), max_tokens(512), testing::model(kSonnet37));
  ASSERT_TRUE(body.has_value()) << body.error().message;
  EXPECT_EQ(json::parse(*body), golden_json("converse/request_cache_points.json"));
}

// Nova takes cache points too; Claude 3 Haiku and Llama do not, and get the same request without.
TEST(PromptCache, CachePointsOnlyForModelsThatTakeThem) {
  Prompt p = cached_prompt();
  auto nova = encode_converse(p, max_tokens(512), testing::model("amazon.nova-pro-v1:0"));
  ASSERT_TRUE(nova.has_value()) << nova.error().message;
  EXPECT_NE(nova->find("cachePoint"), std::string::npos);
  for (const char* id :
       {"anthropic.claude-3-haiku-20240307-v1:0", "meta.llama3-8b-instruct-v1:0"}) {
    auto body = encode_converse(p, max_tokens(512), testing::model(id));
    ASSERT_TRUE(body.has_value()) << id << ": " << body.error().message;
    EXPECT_EQ(body->find("cachePoint"), std::string::npos) << id;
    const json parsed = json::parse(*body);
    EXPECT_EQ(parsed["system"].size(), 1u) << id;
    EXPECT_EQ(parsed["messages"][0]["content"].size(), 1u) << id;
  }
}

// A cache point with nothing before it is a caller mistake, named before sending.
TEST(PromptCache, MisplacedCachePointIsValidation) {
  Prompt no_system = Prompt::from_user("hi");
  no_system.system_cache_point = CachePoint{};
  auto a = encode_converse(no_system, {}, testing::model(kSonnet37));
  ASSERT_FALSE(a.has_value());
  EXPECT_EQ(a.error().code, ErrorCode::Validation);
  Prompt no_tools = Prompt::from_user("hi");
  no_tools.tools.cache_point = CachePoint{};
  auto b = encode_converse(no_tools, {}, testing::model(kSonnet37));
  ASSERT_FALSE(b.has_value());
  EXPECT_NE(b.error().message.find("tools"), std::string::npos);
}

// Converse usage with cache counts: non-streamed body and the stream's metadata event agree.
TEST(PromptCache, ConverseUsageSameStreamedOrNot) {
  auto whole = decode_converse(
      R"({"output":{"message":{"role":"assistant","content":[{"text":"ok"}]}},"stopReason":"end_turn",)"
      R"("usage":{"inputTokens":9,"outputTokens":3,"totalTokens":1562,"cacheReadInputTokens":1500,)"
      R"("cacheWriteInputTokens":50}})");
  ASSERT_TRUE(whole.has_value()) << whole.error().message;
  EXPECT_EQ(whole->usage.input_tokens, 9);
  EXPECT_EQ(whole->usage.output_tokens, 3);
  EXPECT_EQ(whole->usage.cache_read_input_tokens, 1500);
  EXPECT_EQ(whole->usage.cache_write_input_tokens, 50);
  EXPECT_TRUE(whole->usage.reported);

  StreamAccumulator acc;
  acc.add(TextDelta{0, "ok"});
  acc.add(MessageStop{StopReason::EndTurn, "end_turn", ""});
  UsageUpdate update;
  update.input_tokens = 9;
  update.output_tokens = 3;
  update.cache_read_input_tokens = 1500;
  update.cache_write_input_tokens = 50;
  acc.add(update);
  auto streamed = acc.finish();
  ASSERT_TRUE(streamed.has_value());
  EXPECT_EQ(streamed->usage.cache_read_input_tokens, whole->usage.cache_read_input_tokens);
  EXPECT_EQ(streamed->usage.cache_write_input_tokens, whole->usage.cache_write_input_tokens);
  EXPECT_EQ(streamed->usage.input_tokens, whole->usage.input_tokens);
}

// Without cache counts the usage is still reported, the cache counts 0; without output, unknown.
TEST(PromptCache, TokenUsageNeedsBothCounts) {
  UsageUpdate update;
  update.input_tokens = 4;
  EXPECT_FALSE(token_usage(update).reported);
  update.output_tokens = 2;
  const TokenUsage u = token_usage(update);
  EXPECT_TRUE(u.reported);
  EXPECT_EQ(u.cache_read_input_tokens, 0);
  EXPECT_EQ(u.cache_write_input_tokens, 0);
}

// Anthropic's native body spells the counts cache_read / cache_creation_input_tokens.
TEST(PromptCache, AnthropicNativeUsageHasCacheCounts) {
  const std::string body =
      R"({"id":"m","type":"message","role":"assistant","content":[{"type":"text","text":"ok"}],)"
      R"("stop_reason":"end_turn","usage":{"input_tokens":12,"output_tokens":7,)"
      R"("cache_read_input_tokens":300,"cache_creation_input_tokens":40}})";
  auto c = codec_for(ModelFamily::AnthropicMessages).decode(body);
  ASSERT_TRUE(c.has_value()) << c.error().message;
  EXPECT_EQ(c->usage.input_tokens, 12);
  EXPECT_EQ(c->usage.cache_read_input_tokens, 300);
  EXPECT_EQ(c->usage.cache_write_input_tokens, 40);
}

// Cost: Claude 3.7 Sonnet reads at 0.30 and writes at 3.75 per 1M, input 3.00, output 15.00.
TEST(PromptCache, CostUsesCachedRates) {
  const ModelInfo sonnet = testing::model(kSonnet37);
  TokenUsage u;
  u.input_tokens = 1000;
  u.output_tokens = 1000;
  u.cache_read_input_tokens = 1'000'000;
  u.cache_write_input_tokens = 1'000'000;
  u.reported = true;
  EXPECT_NEAR(estimate_cost(sonnet, u), 0.003 + 0.015 + 0.30 + 3.75, 1e-9);
  // A model without cached rates prices cache tokens as input.
  const ModelInfo haiku3 = testing::model("anthropic.claude-3-haiku-20240307-v1:0");
  EXPECT_NEAR(estimate_cost(haiku3, u), 0.00025 + 0.00125 + 0.25 + 0.25, 1e-9);
  // Nova Micro: reads a quarter of input, writes as input.
  const ModelInfo micro = testing::model("amazon.nova-micro-v1:0");
  EXPECT_NEAR(micro.cache_read_price_per_1k * 1000, 0.00875, 1e-12);
  EXPECT_NEAR(micro.cache_write_price_per_1k, micro.input_price_per_1k, 1e-12);
}

}  // namespace
}  // namespace bedrock::models
