#include "bedrock/runtime/adaptive_rate_limiter.h"

#include <gtest/gtest.h>

#include "fakes/fake_clock.h"

namespace bedrock::runtime {
namespace {

using std::chrono::duration;
using std::chrono::duration_cast;

struct Step {
  double t;
  bool throttled;
  double measured;
  double max_rate;
  double capacity;
  double available;
  bool enabled;
};

void advance_to(const FakeClock& clock, double t) {
  const double now = duration<double>(clock.steady().time_since_epoch()).count();
  clock.advance(duration_cast<Duration>(duration<double>(t - now)));
}

// Rates after a sequence of answers match botocore's ClientRateLimiter driven by the same
// fake clock (values printed by botocore 1.43 itself; CUBIC K = cbrt(2.24*0.3/0.4)).
TEST(AdaptiveRateLimiter, MatchesBotocoreCubic) {
  FakeClock clock;
  AdaptiveRateLimiter lim(clock);
  const Step steps[] = {
      {0.1, false, 0, 0.5, 1, 0.1, false},
      {0.6, false, 3.2, 0.5, 1, 0.35, false},
      {1.1, true, 2.24, 1.568, 1.568, 0.6, true},
      {2.1, false, 1.248, 2.237308724002743, 2.237308724002743, 1.568, true},
      {4.1, false, 0.6496, 1.2992, 1.2992, 1.2992, true},
      {4.3, true, 0.6496, 0.5, 1, 1, true},
      {4.8, true, 3.32992, 0.5, 1, 1, true},
  };
  for (const auto& s : steps) {
    advance_to(clock, s.t);
    lim.on_response(s.throttled);
    EXPECT_NEAR(lim.measured_rate(), s.measured, 1e-9) << s.t;
    EXPECT_NEAR(lim.max_rate(), s.max_rate, 1e-9) << s.t;
    EXPECT_NEAR(lim.capacity(), s.capacity, 1e-9) << s.t;
    EXPECT_NEAR(lim.available_tokens(), s.available, 1e-6) << s.t;
    EXPECT_EQ(lim.enabled(), s.enabled) << s.t;
  }
}

// Until the first throttle the limiter never waits.
TEST(AdaptiveRateLimiter, DisabledUntilThrottled) {
  FakeClock clock;
  AdaptiveRateLimiter lim(clock);
  for (int i = 0; i < 100; ++i) ASSERT_TRUE(lim.acquire().has_value());
  EXPECT_EQ(clock.steady().time_since_epoch().count(), 0);
}

// Once enabled, sending is paced at the fill rate: tokens take 1/rate seconds each.
TEST(AdaptiveRateLimiter, PacesAfterThrottle) {
  FakeClock clock;
  AdaptiveRateLimiter lim(clock);
  lim.on_response(true);  // at t=0 measured 0 -> max_rate 0 -> fill 0.5/s, capacity 1
  ASSERT_TRUE(lim.enabled());
  EXPECT_DOUBLE_EQ(lim.max_rate(), 0.5);
  const auto start = clock.steady();
  ASSERT_TRUE(lim.acquire().has_value());  // waits for the first token: 2 s at 0.5/s
  ASSERT_TRUE(lim.acquire().has_value());  // and 2 s more
  const double waited = duration<double>(clock.steady() - start).count();
  EXPECT_NEAR(waited, 4.0, 1e-6);
}

// A wait longer than the deadline allows fails at once with DeadlineExceeded.
TEST(AdaptiveRateLimiter, DeadlineExceededWithoutWaiting) {
  FakeClock clock;
  AdaptiveRateLimiter lim(clock);
  lim.on_response(true);
  auto r = lim.acquire(clock.steady() + std::chrono::seconds(1));
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().code, ErrorCode::DeadlineExceeded);
  EXPECT_EQ(clock.steady().time_since_epoch().count(), 0);
}

// Cancellation is honoured while waiting.
TEST(AdaptiveRateLimiter, CancelledWhileWaiting) {
  FakeClock clock;
  AdaptiveRateLimiter lim(clock);
  lim.on_response(true);
  std::atomic<bool> cancelled{true};
  auto r = lim.acquire(std::nullopt, &cancelled);
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().code, ErrorCode::Cancelled);
}

}  // namespace
}  // namespace bedrock::runtime
