// Prompt caching in the native Anthropic Messages body (docs/wire-protocol.md §7.1): cache points
// become cache_control on the block that ends each cached prefix, within Anthropic's limits, and
// the usage's cache counts (with the 1-hour part of the writes) read the same streamed or not.
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

const ModelCodec& claude() { return codec_for(ModelFamily::AnthropicMessages); }

Prompt anthropic_cached_prompt() {
  Prompt p;
  p.system = "You are a careful lawyer.";
  p.system_cache_point = CachePoint{CacheTtl::OneHour};
  Message contract{Role::User, "Here is a long contract."};
  contract.cache_point = CachePoint{};
  Message question{Role::User, "Who signs it?"};
  question.cache_point = CachePoint{CacheTtl::FiveMinutes};
  p.messages = {contract, {Role::Assistant, "Read it."}, question};
  return p;
}

// System (1h), a message (default TTL) and the last message (5m) carry cache_control.
TEST(AnthropicCache, CacheControlMatchesGolden) {
  auto body =
      claude().encode(anthropic_cached_prompt(), max_tokens(512), testing::model(kSonnet37));
  ASSERT_TRUE(body.has_value()) << body.error().message;
  EXPECT_EQ(json::parse(*body), golden_json("anthropic-messages/request_cache_control.json"));
}

// Claude 3 Haiku takes no prompt caching on Bedrock: the same body without cache_control, and the
// system prompt stays a plain string.
TEST(AnthropicCache, LeftOutForModelsWithoutCaching) {
  auto body = claude().encode(anthropic_cached_prompt(), max_tokens(512),
                              testing::model("anthropic.claude-3-haiku-20240307-v1:0"));
  ASSERT_TRUE(body.has_value()) << body.error().message;
  EXPECT_EQ(body->find("cache_control"), std::string::npos);
  EXPECT_EQ(json::parse(*body)["system"], "You are a careful lawyer.");
}

// Other native bodies never carry cache points.
TEST(AnthropicCache, OtherNativeBodiesLeaveThemOut) {
  auto body = codec_for(ModelFamily::Llama3)
                  .encode(anthropic_cached_prompt(), max_tokens(512),
                          testing::model("meta.llama3-8b-instruct-v1:0"));
  ASSERT_TRUE(body.has_value()) << body.error().message;
  EXPECT_EQ(body->find("cache"), std::string::npos);
}

Prompt five_points() {
  Prompt p;
  p.system = "sys";
  p.system_cache_point = CachePoint{};
  for (int i = 0; i < 5; ++i) {
    Message m{i % 2 == 0 ? Role::User : Role::Assistant, "turn " + std::to_string(i)};
    if (i < 4) m.cache_point = CachePoint{};
    p.messages.push_back(m);
  }
  return p;
}

// A fifth cache point is refused before sending, natively and through Converse alike.
TEST(AnthropicCache, MoreThanFourIsValidation) {
  const ModelInfo sonnet = testing::model(kSonnet37);
  auto native = claude().encode(five_points(), {}, sonnet);
  ASSERT_FALSE(native.has_value());
  EXPECT_EQ(native.error().code, ErrorCode::Validation);
  EXPECT_NE(native.error().message.find("5 cache points; a request may carry at most 4"),
            std::string::npos)
      << native.error().message;
  auto converse = encode_converse(five_points(), {}, sonnet);
  ASSERT_FALSE(converse.has_value());
  EXPECT_EQ(converse.error().code, ErrorCode::Validation);
  // Four are fine, and a model that takes no caching never sees them, so five are too.
  Prompt four = five_points();
  four.messages[3].cache_point.reset();
  EXPECT_TRUE(claude().encode(four, {}, sonnet).has_value());
  EXPECT_TRUE(
      claude()
          .encode(five_points(), {}, testing::model("anthropic.claude-3-haiku-20240307-v1:0"))
          .has_value());
}

// Anthropic refuses a 1h point after a 5m one (tools, system, messages order).
TEST(AnthropicCache, OneHourAfterFiveMinutesIsValidation) {
  Prompt p = anthropic_cached_prompt();
  p.system_cache_point = CachePoint{CacheTtl::FiveMinutes};
  p.messages[2].cache_point = CachePoint{CacheTtl::OneHour};
  auto body = claude().encode(p, {}, testing::model(kSonnet37));
  ASSERT_FALSE(body.has_value());
  EXPECT_EQ(body.error().code, ErrorCode::Validation);
  EXPECT_NE(body.error().message.find("after message 3 follows the 5m one after the system prompt"),
            std::string::npos)
      << body.error().message;
}

// Usage: reads, writes and the 1h part of the writes (the full reader's usage fields are the
// stream's, checked below).
TEST(AnthropicCache, UsageWithTtlSplit) {
  auto c = claude().decode(testing::read_golden("anthropic-messages/response_cache.json"));
  ASSERT_TRUE(c.has_value()) << c.error().message;
  EXPECT_EQ(c->text, "The buyer and the seller.");
  EXPECT_EQ(c->usage.input_tokens, 12);
  EXPECT_EQ(c->usage.output_tokens, 7);
  EXPECT_EQ(c->usage.cache_read_input_tokens, 2048);
  EXPECT_EQ(c->usage.cache_write_input_tokens, 1500);
  EXPECT_EQ(c->usage.cache_write_1h_input_tokens, 1200);
  // Without cache_creation the answer does not say which TTL the writes had.
  auto plain = claude().decode(
      R"({"content":[{"type":"text","text":"ok"}],"stop_reason":"end_turn","usage":)"
      R"({"input_tokens":3,"output_tokens":1,"cache_creation_input_tokens":40}})");
  ASSERT_TRUE(plain.has_value());
  EXPECT_EQ(plain->usage.cache_write_input_tokens, 40);
  EXPECT_FALSE(plain->usage.cache_write_1h_input_tokens.has_value());
}

// A stream's message_start carries the same usage, split included.
TEST(AnthropicCache, StreamedUsageMatchesBody) {
  StreamState state;
  auto events = claude().decode_stream_chunk(
      R"({"type":"message_start","message":{"id":"m","type":"message","role":"assistant",)"
      R"("content":[],"usage":{"input_tokens":12,"output_tokens":1,)"
      R"("cache_creation_input_tokens":1500,"cache_read_input_tokens":2048,)"
      R"("cache_creation":{"ephemeral_5m_input_tokens":300,"ephemeral_1h_input_tokens":1200}}}})",
      state);
  ASSERT_TRUE(events.has_value()) << events.error().message;
  StreamAccumulator acc;
  for (const auto& e : *events) acc.add(e);
  acc.add(UsageUpdate{std::nullopt, 7, std::nullopt, std::nullopt, std::nullopt});
  EXPECT_EQ(acc.usage().cache_read_input_tokens, 2048);
  EXPECT_EQ(acc.usage().cache_write_input_tokens, 1500);
  EXPECT_EQ(acc.usage().cache_write_1h_input_tokens, 1200);
  EXPECT_EQ(acc.usage().output_tokens, 7);
}

// Converse reports the split as cacheDetails (1h before 5m).
TEST(AnthropicCache, ConverseCacheDetailsGiveTheSplit) {
  auto c = decode_converse(
      R"({"output":{"message":{"role":"assistant","content":[{"text":"ok"}]}},)"
      R"("stopReason":"end_turn","usage":{"inputTokens":9,"outputTokens":3,"totalTokens":62,)"
      R"("cacheReadInputTokens":0,"cacheWriteInputTokens":50,"cacheDetails":)"
      R"([{"ttl":"1h","inputTokens":30},{"ttl":"5m","inputTokens":20}]}})");
  ASSERT_TRUE(c.has_value()) << c.error().message;
  EXPECT_EQ(c->usage.cache_write_input_tokens, 50);
  EXPECT_EQ(c->usage.cache_write_1h_input_tokens, 30);
  auto only_5m = decode_converse(
      R"({"output":{"message":{"role":"assistant","content":[{"text":"ok"}]}},)"
      R"("stopReason":"end_turn","usage":{"inputTokens":9,"outputTokens":3,"totalTokens":32,)"
      R"("cacheWriteInputTokens":20,"cacheDetails":[{"ttl":"5m","inputTokens":20}]}})");
  ASSERT_TRUE(only_5m.has_value());
  EXPECT_EQ(only_5m->usage.cache_write_1h_input_tokens, 0);
}

}  // namespace
}  // namespace bedrock::models
