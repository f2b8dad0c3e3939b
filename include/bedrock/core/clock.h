// Time is injected so retry, deadline and credential-expiry logic is tested without sleeping.
#pragma once

#include <chrono>
#include <mutex>

namespace bedrock {

using SteadyTime = std::chrono::steady_clock::time_point;
using WallTime = std::chrono::system_clock::time_point;
using Duration = std::chrono::steady_clock::duration;

// Thread-safe. steady() for deadlines and latency, wall() for signatures and expiry.
class Clock {
 public:
  virtual ~Clock() = default;
  virtual SteadyTime steady() const = 0;
  virtual WallTime wall() const = 0;
  virtual void sleep_for(Duration d) const = 0;
};

class SystemClock final : public Clock {
 public:
  SteadyTime steady() const override { return std::chrono::steady_clock::now(); }
  WallTime wall() const override { return std::chrono::system_clock::now(); }
  void sleep_for(Duration d) const override;
};

// The process-wide system clock; library code takes a Clock& and defaults to this.
const Clock& system_clock();

// Manual clock for tests: sleep_for advances time instead of blocking.
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
