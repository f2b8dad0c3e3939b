// A per-minute token bucket, as Bedrock's requests-per-minute and tokens-per-minute quotas
// behave: full at start, refilled continuously at limit/60 per second, capped at the limit.
#pragma once

#include "bedrock/core/clock.h"

namespace bedrock::emulator {

// Not thread-safe: the owner (Behavior) serialises access.
class TokenBucket {
 public:
  TokenBucket(double per_minute, SteadyTime now)
      : capacity_(per_minute), tokens_(per_minute), last_(now) {}

  // Takes `amount` tokens if that many are available now; false (and nothing taken) otherwise.
  bool try_take(double amount, SteadyTime now);
  // Tokens available at `now` (after refill).
  double available(SteadyTime now);
  double capacity() const { return capacity_; }

 private:
  void refill(SteadyTime now);

  double capacity_;
  double tokens_;
  SteadyTime last_;
};

}  // namespace bedrock::emulator
