#include "emulator/behavior.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "fakes/fake_clock.h"

namespace bedrock::emulator {
namespace {

using std::chrono::seconds;

// "Fail the next N" fires exactly N times, in FIFO order, before probabilities.
TEST(Behavior, ScheduledFaultsFireInOrderThenStop) {
  FakeClock clock;
  Behavior b(clock, 1);
  b.schedule_faults("", FaultKind::Throttling, 2);
  b.schedule_faults("", FaultKind::ServiceUnavailable, 1);
  EXPECT_EQ(b.draw_fault("m", "m"), FaultKind::Throttling);
  EXPECT_EQ(b.draw_fault("m", "m"), FaultKind::Throttling);
  EXPECT_EQ(b.draw_fault("m", "m"), FaultKind::ServiceUnavailable);
  EXPECT_FALSE(b.draw_fault("m", "m"));
}

// A per-model setting (by requested or base id) wins over the global one; others use global.
TEST(Behavior, PerModelOverridesGlobal) {
  FakeClock clock;
  Behavior b(clock, 1);
  ASSERT_TRUE(b.set_fault("*", FaultKind::InternalServer, 1.0));
  ASSERT_TRUE(b.set_fault("anthropic.x", FaultKind::ModelTimeout, 1.0));
  EXPECT_EQ(b.draw_fault("us.anthropic.x", "anthropic.x"), FaultKind::ModelTimeout);
  EXPECT_EQ(b.draw_fault("other", "other"), FaultKind::InternalServer);
  b.set_latency("", *parse_latency("100"));
  b.set_latency("fast", *parse_latency("5"));
  EXPECT_EQ(b.draw_latency("fast", "fast", 0), std::chrono::milliseconds(5));
  EXPECT_EQ(b.draw_latency("slow", "slow", 0), std::chrono::milliseconds(100));
}

// rpm and tpm buckets throttle per model, refill with the (fake) clock, and reset() refills.
TEST(Behavior, QuotasThrottleAndRefill) {
  FakeClock clock;
  Behavior b(clock, 1);
  b.set_requests_per_minute("m", 2);
  b.set_tokens_per_minute("t", 100);
  EXPECT_EQ(b.take_quota("m", "m", 10), QuotaVerdict::Allowed);
  EXPECT_EQ(b.take_quota("m", "m", 10), QuotaVerdict::Allowed);
  EXPECT_EQ(b.take_quota("m", "m", 10), QuotaVerdict::RequestsExceeded);
  EXPECT_EQ(b.take_quota("other", "other", 10), QuotaVerdict::Allowed);
  clock.advance(seconds(30));
  EXPECT_EQ(b.take_quota("m", "m", 10), QuotaVerdict::Allowed);
  EXPECT_EQ(b.take_quota("t", "t", 80), QuotaVerdict::Allowed);
  EXPECT_EQ(b.take_quota("t", "t", 80), QuotaVerdict::TokensExceeded);
  b.reset();
  EXPECT_EQ(b.take_quota("t", "t", 80), QuotaVerdict::Allowed);
}

// Without configuration nothing is injected and the JSON description is empty.
TEST(Behavior, InactiveByDefault) {
  FakeClock clock;
  Behavior b(clock, 1);
  EXPECT_FALSE(b.draw_fault("m", "m"));
  EXPECT_EQ(b.draw_latency("m", "m", 100), Duration::zero());
  EXPECT_EQ(b.take_quota("m", "m", 1000000), QuotaVerdict::Allowed);
  EXPECT_EQ(b.describe_json(), "{}");
  b.set_requests_per_minute("m", 5);
  auto j = nlohmann::json::parse(b.describe_json());
  EXPECT_EQ(j["m"]["rpm"], 5);
}

}  // namespace
}  // namespace bedrock::emulator
