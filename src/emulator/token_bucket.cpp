#include "token_bucket.h"

#include <algorithm>

namespace bedrock::emulator {

void TokenBucket::refill(SteadyTime now) {
  if (now <= last_) return;
  const double seconds = std::chrono::duration<double>(now - last_).count();
  tokens_ = std::min(capacity_, tokens_ + seconds * capacity_ / 60.0);
  last_ = now;
}

bool TokenBucket::try_take(double amount, SteadyTime now) {
  refill(now);
  if (tokens_ + 1e-9 < amount) return false;
  tokens_ -= amount;
  return true;
}

double TokenBucket::available(SteadyTime now) {
  refill(now);
  return tokens_;
}

}  // namespace bedrock::emulator
