// A Random that always returns the same value: makes jitter deterministic in tests.
#pragma once

#include "bedrock/core/random.h"

// In namespace bedrock (not bedrock::testing) so the tests of every layer name it unqualified.
namespace bedrock {

class FixedRandom final : public Random {
 public:
  explicit FixedRandom(double value) : value_(value) {}
  double uniform01() override { return value_; }

 private:
  double value_;
};

}  // namespace bedrock
