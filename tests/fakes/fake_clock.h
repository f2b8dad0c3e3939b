// A manual Clock for tests: sleep_for advances time instead of blocking, so retry, deadline
// and expiry logic runs without real waiting. Thread-safe.
#pragma once

#include <chrono>
#include <mutex>

#include "bedrock/core/clock.h"

// In namespace bedrock (not bedrock::testing) so the tests of every layer name it unqualified.
namespace bedrock {

class FakeClock final : public Clock {
 public:
  explicit FakeClock(WallTime start = WallTime{std::chrono::seconds{1705320000}}) : wall_(start) {}
  SteadyTime steady() const override {
    std::lock_guard lock(mu_);
    return steady_;
  }
  WallTime wall() const override {
    std::lock_guard lock(mu_);
    return wall_;
  }
  void sleep_for(Duration d) const override { advance(d); }
  void advance(Duration d) const {
    std::lock_guard lock(mu_);
    steady_ += d;
    wall_ += std::chrono::duration_cast<std::chrono::system_clock::duration>(d);
  }

 private:
  mutable std::mutex mu_;
  mutable SteadyTime steady_{};
  mutable WallTime wall_;
};

}  // namespace bedrock
