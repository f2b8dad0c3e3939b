// The standard-mode retry quota (botocore retries/quota.py): a per-client bucket that retries
// draw from and successes refill, so a failing service is not hammered by every caller's
// retries at once. Thread-safe; share one per client.
#pragma once

#include <atomic>

namespace bedrock::runtime {

// Lock-free: every successful call of every thread refills it, so a mutex here was a point
// of contention for clients shared by many threads.
class RetryQuota {
 public:
  static constexpr int kInitialCapacity = 500;

  explicit RetryQuota(int capacity = kInitialCapacity) : max_(capacity), available_(capacity) {}

  // Takes `amount` if that much is left; false (and nothing taken) otherwise.
  bool acquire(int amount) {
    int now = available_.load(std::memory_order_relaxed);
    do {
      if (amount > now) return false;
    } while (!available_.compare_exchange_weak(now, now - amount, std::memory_order_relaxed));
    return true;
  }

  // Gives back up to `amount`, never above the initial capacity. A full bucket (the healthy
  // steady state) costs one load.
  void release(int amount) {
    int now = available_.load(std::memory_order_relaxed);
    while (now < max_) {
      const int refilled = now + amount > max_ ? max_ : now + amount;
      if (available_.compare_exchange_weak(now, refilled, std::memory_order_relaxed)) return;
    }
  }

  int available() const { return available_.load(std::memory_order_relaxed); }
  int capacity() const { return max_; }

 private:
  const int max_;
  std::atomic<int> available_;
};

}  // namespace bedrock::runtime
