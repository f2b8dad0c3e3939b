// Time arithmetic at the edges of the nanosecond range clamps instead of wrapping around.
#include "bedrock/core/saturating_time.h"

#include <gtest/gtest.h>

#include <limits>

namespace bedrock {
namespace {

using std::chrono::hours;
using std::chrono::seconds;

// 2263-01-01 and 9999-12-31 lie past the last nanosecond time point (2262): they become the
// far future, never a date in 1816.
TEST(SaturatingTime, SecondsPastTheRangeClampToTheFarFuture) {
  const WallTime now{seconds{1705320000}};
  EXPECT_EQ(wall_time_from_seconds(9309182400LL), far_future_wall_time());    // 2264-12-31
  EXPECT_EQ(wall_time_from_seconds(253402300799LL), far_future_wall_time());  // 9999-12-31
  EXPECT_GT(far_future_wall_time(), now + hours{24 * 365 * 200});
  EXPECT_EQ(wall_time_from_seconds(-253402300799LL), far_past_wall_time());
  EXPECT_LT(far_past_wall_time(), now);
  EXPECT_EQ(wall_time_from_seconds(1705320000), now);
}

// The clamped far future still has room for refresh windows and skews.
TEST(SaturatingTime, FarFutureLeavesRoomForSmallSums) {
  const WallTime later = far_future_wall_time() + hours{24 * 300};
  EXPECT_GT(later, far_future_wall_time());
}

// Huge, infinite and NaN second counts become bounded durations of the right sign.
TEST(SaturatingTime, DurationFromSecondsSaturates) {
  EXPECT_EQ(duration_from_seconds(1.5), std::chrono::milliseconds{1500});
  EXPECT_GT(duration_from_seconds(1e30), hours{24 * 365 * 200});
  EXPECT_GT(duration_from_seconds(std::numeric_limits<double>::infinity()), hours{1});
  EXPECT_LT(duration_from_seconds(-1e30), hours{-24 * 365 * 200});
  EXPECT_EQ(duration_from_seconds(std::numeric_limits<double>::quiet_NaN()), Duration{0});
}

// Adding past the end of the range gives the last time point, not one in the past.
TEST(SaturatingTime, AddClampsAtTheEndsOfTheRange) {
  const SteadyTime t{seconds{1000}};
  EXPECT_EQ(saturating_add(t, Duration::max()), SteadyTime::max());
  EXPECT_EQ(saturating_add(SteadyTime::max(), seconds{1}), SteadyTime::max());
  EXPECT_EQ(saturating_add(SteadyTime::min(), -Duration{seconds{1}}), SteadyTime::min());
  EXPECT_EQ(saturating_add(t, seconds{5}), SteadyTime{seconds{1005}});
  EXPECT_EQ(saturating_add(WallTime::max(), hours{1}), WallTime::max());
}

}  // namespace
}  // namespace bedrock
