// Randomness is injected so jittered backoff is tested exactly.
#pragma once

#include <memory>
#include <mutex>
#include <random>

namespace bedrock {

// Thread-safe source of uniform doubles in [0, 1).
class Random {
 public:
  virtual ~Random() = default;
  virtual double uniform01() = 0;
};

class SystemRandom final : public Random {
 public:
  SystemRandom() : engine_(std::random_device{}()) {}
  double uniform01() override {
    std::lock_guard lock(mu_);
    return std::uniform_real_distribution<double>(0.0, 1.0)(engine_);
  }

 private:
  std::mutex mu_;
  std::mt19937_64 engine_;
};

}  // namespace bedrock
