// The standard-mode retry quota (botocore retries/quota.py): a per-client bucket that retries
// draw from and successes refill, so a failing service is not hammered by every caller's
// retries at once. Thread-safe; share one per client.
#pragma once

#include <mutex>

namespace bedrock::runtime {

class RetryQuota {
 public:
  static constexpr int kInitialCapacity = 500;

  explicit RetryQuota(int capacity = kInitialCapacity) : max_(capacity), available_(capacity) {}

  // Takes `amount` if that much is left; false (and nothing taken) otherwise.
  bool acquire(int amount) {
    std::lock_guard lock(mu_);
    if (amount > available_) return false;
    available_ -= amount;
    return true;
  }

  // Gives back up to `amount`, never above the initial capacity.
  void release(int amount) {
    std::lock_guard lock(mu_);
    available_ += amount;
    if (available_ > max_) available_ = max_;
  }

  int available() const {
    std::lock_guard lock(mu_);
    return available_;
  }
  int capacity() const { return max_; }

 private:
  mutable std::mutex mu_;
  const int max_;
  int available_;
};

}  // namespace bedrock::runtime
