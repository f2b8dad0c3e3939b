// Prompt-cache pricing (docs/wire-protocol.md §10): reads at the read rate, writes at the rate of
// their TTL (Claude: 5m at 1.25x input, 1h at 2x input), and the requested TTL when the answer does
// not split the writes.
#include <gtest/gtest.h>

#include "bedrock/models/registry.h"
#include "codec_test_support.h"

namespace bedrock::models {
namespace {

using testing::kSonnet37;

TokenUsage writes(int total, std::optional<int> one_hour) {
  TokenUsage u;
  u.cache_write_input_tokens = total;
  u.cache_write_1h_input_tokens = one_hour;
  u.reported = true;
  return u;
}

// The registry's 1h rate for Claude is twice the input rate; Nova has none.
TEST(CacheCost, OneHourRateIsTwiceInputForClaude) {
  const ModelInfo sonnet = testing::model(kSonnet37);
  EXPECT_NEAR(sonnet.cache_write_1h_price_per_1k * 1000, 6.00, 1e-9);
  EXPECT_NEAR(sonnet.cache_write_price_per_1k * 1000, 3.75, 1e-9);
  const ModelInfo haiku45 = testing::model("anthropic.claude-haiku-4-5-20251001-v1:0");
  EXPECT_NEAR(haiku45.cache_write_1h_price_per_1k * 1000, 2.00, 1e-9);
  EXPECT_EQ(testing::model("amazon.nova-pro-v1:0").cache_write_1h_price_per_1k, 0);
}

// 1M tokens written: 400K for an hour, 600K for five minutes, on Claude 3.7 Sonnet.
TEST(CacheCost, WritesPricedByTtl) {
  const ModelInfo sonnet = testing::model(kSonnet37);
  EXPECT_NEAR(estimate_cost(sonnet, writes(1'000'000, 400'000)), 0.4 * 6.00 + 0.6 * 3.75, 1e-9);
  EXPECT_NEAR(estimate_cost(sonnet, writes(1'000'000, 0)), 3.75, 1e-9);
  EXPECT_NEAR(estimate_cost(sonnet, writes(1'000'000, 1'000'000)), 6.00, 1e-9);
  // Not split: all at the 5-minute rate.
  EXPECT_NEAR(estimate_cost(sonnet, writes(1'000'000, std::nullopt)), 3.75, 1e-9);
  // A 1h count above the total (a peer's mistake) is capped by the total; a negative one is 0.
  EXPECT_NEAR(estimate_cost(sonnet, writes(1'000'000, 5'000'000)), 6.00, 1e-9);
  EXPECT_NEAR(estimate_cost(sonnet, writes(1'000'000, -5)), 3.75, 1e-9);
}

// A model without a 1h rate prices 1h writes at its 5-minute write rate (Nova: the input rate).
TEST(CacheCost, NoOneHourRateFallsBackToFiveMinutes) {
  const ModelInfo pro = testing::model("amazon.nova-pro-v1:0");
  EXPECT_NEAR(estimate_cost(pro, writes(1'000'000, 1'000'000)), 0.80, 1e-9);
}

// An unsplit answer takes the TTL of the prompt's last cache point.
TEST(CacheCost, RequestedTtlWhenTheAnswerDoesNotSay) {
  const ModelInfo sonnet = testing::model(kSonnet37);
  Prompt p = Prompt::from_user("long document", "sys");
  p.system_cache_point = CachePoint{CacheTtl::OneHour};
  EXPECT_EQ(with_requested_ttl(writes(500, std::nullopt), p).cache_write_1h_input_tokens, 500);
  EXPECT_NEAR(estimate_cost(sonnet, writes(1'000'000, std::nullopt), p), 6.00, 1e-9);
  // The last point (the message's, default TTL) decides.
  p.messages[0].cache_point = CachePoint{};
  EXPECT_EQ(with_requested_ttl(writes(500, std::nullopt), p).cache_write_1h_input_tokens, 0);
  EXPECT_NEAR(estimate_cost(sonnet, writes(1'000'000, std::nullopt), p), 3.75, 1e-9);
  // A split from the answer wins over the request.
  p.messages[0].cache_point = CachePoint{CacheTtl::OneHour};
  EXPECT_EQ(with_requested_ttl(writes(500, 100), p).cache_write_1h_input_tokens, 100);
  // No cache point: no 1h writes.
  EXPECT_EQ(with_requested_ttl(writes(500, std::nullopt), Prompt::from_user("x"))
                .cache_write_1h_input_tokens,
            0);
}

}  // namespace
}  // namespace bedrock::models
