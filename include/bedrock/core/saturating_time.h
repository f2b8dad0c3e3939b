// Time arithmetic that saturates instead of overflowing. std::chrono time points count
// nanoseconds in 64 bits (about ±292 years around 1970), so a peer's date in 2263, a
// Retry-After of a billion seconds or a long backoff wraps around to the past when added
// naively; these clamp to a far-future (or far-past) point with room left for small sums.
#pragma once

#include <chrono>

#include "bedrock/core/clock.h"

namespace bedrock {

// The latest (earliest) wall time a parsed or computed timestamp is clamped to: one year short
// of the representable range, so adding refresh windows or skews to it cannot overflow.
WallTime far_future_wall_time();
WallTime far_past_wall_time();

// Seconds since the Unix epoch as a WallTime, clamped to [far_past, far_future].
WallTime wall_time_from_seconds(long long seconds_since_epoch);

// A count of seconds (NaN counts as 0) as a Duration, clamped to ± one year short of the
// representable range.
Duration duration_from_seconds(double seconds);

// t + d, clamped to the representable range instead of wrapping.
SteadyTime saturating_add(SteadyTime t, Duration d);
WallTime saturating_add(WallTime t, WallTime::duration d);

}  // namespace bedrock
