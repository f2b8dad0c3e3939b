#include "bedrock/core/saturating_time.h"

#include <cmath>
#include <limits>

namespace bedrock {
namespace {

using std::chrono::duration_cast;
using std::chrono::seconds;

constexpr seconds kHeadroom{366LL * 24 * 3600};

template <class Rep, class Period>
constexpr seconds max_seconds(std::chrono::duration<Rep, Period>) {
  return duration_cast<seconds>(std::chrono::duration<Rep, Period>::max()) - kHeadroom;
}

template <class TimePoint>
TimePoint add_clamped(TimePoint t, typename TimePoint::duration d) {
  using Rep = typename TimePoint::duration::rep;
  const Rep base = t.time_since_epoch().count();
  const Rep step = d.count();
  if (step > 0 && base > std::numeric_limits<Rep>::max() - step) return TimePoint::max();
  if (step < 0 && base < std::numeric_limits<Rep>::min() - step) return TimePoint::min();
  return t + d;
}

}  // namespace

WallTime far_future_wall_time() {
  return WallTime{duration_cast<WallTime::duration>(max_seconds(WallTime::duration{}))};
}

WallTime far_past_wall_time() {
  return WallTime{duration_cast<WallTime::duration>(-max_seconds(WallTime::duration{}))};
}

WallTime wall_time_from_seconds(long long seconds_since_epoch) {
  const long long limit = max_seconds(WallTime::duration{}).count();
  if (seconds_since_epoch > limit) return far_future_wall_time();
  if (seconds_since_epoch < -limit) return far_past_wall_time();
  return WallTime{duration_cast<WallTime::duration>(seconds{seconds_since_epoch})};
}

Duration duration_from_seconds(double value) {
  if (std::isnan(value)) return Duration{0};
  const double limit = static_cast<double>(max_seconds(Duration{}).count());
  if (value > limit) value = limit;
  if (value < -limit) value = -limit;
  return duration_cast<Duration>(std::chrono::duration<double>(value));
}

SteadyTime saturating_add(SteadyTime t, Duration d) { return add_clamped(t, d); }

WallTime saturating_add(WallTime t, WallTime::duration d) { return add_clamped(t, d); }

}  // namespace bedrock
