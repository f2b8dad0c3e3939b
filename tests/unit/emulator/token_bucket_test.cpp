#include "emulator/token_bucket.h"

#include <gtest/gtest.h>

#include "fakes/fake_clock.h"

namespace bedrock::emulator {
namespace {

using std::chrono::seconds;

// A full bucket allows exactly `limit` takes, then refills at limit/60 per second.
TEST(TokenBucket, AllowsBurstThenRefillsPerMinute) {
  FakeClock clock;
  TokenBucket bucket(60, clock.steady());
  for (int i = 0; i < 60; ++i) EXPECT_TRUE(bucket.try_take(1, clock.steady())) << i;
  EXPECT_FALSE(bucket.try_take(1, clock.steady()));
  clock.advance(seconds(1));
  EXPECT_TRUE(bucket.try_take(1, clock.steady()));
  EXPECT_FALSE(bucket.try_take(1, clock.steady()));
  clock.advance(seconds(600));
  EXPECT_DOUBLE_EQ(bucket.available(clock.steady()), 60);  // capped at the limit
}

// A refused take leaves the tokens in place.
TEST(TokenBucket, RefusalTakesNothing) {
  FakeClock clock;
  TokenBucket bucket(100, clock.steady());
  EXPECT_FALSE(bucket.try_take(150, clock.steady()));
  EXPECT_TRUE(bucket.try_take(100, clock.steady()));
}

}  // namespace
}  // namespace bedrock::emulator
