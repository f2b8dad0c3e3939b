// Time is injected so retry, deadline and credential-expiry logic is tested without sleeping.
#pragma once

#include <chrono>

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

}  // namespace bedrock
