// Bounded-memory latency quantiles: a fixed array of logarithmic buckets.
//
// Bucket i >= 1 covers [kMin * g^(i-1), kMin * g^i) microseconds with g = 1.02, from 1 us to
// about 1.4 hours (1,130 buckets, ~9 KiB); bucket 0 holds everything below 1 us and values
// above the top are clamped into the last bucket. A quantile is reported as the geometric
// middle of its bucket, clamped to the exact min/max seen, so for any value inside the range
// the reported quantile is within a factor sqrt(1.02) of a sample of that rank: relative
// error <= 1%. Quantiles use the nearest-rank definition (rank = ceil(q * n)).
// Not thread-safe; MetricsAggregator guards it.
#pragma once

#include <array>
#include <chrono>
#include <cstdint>

namespace bedrock::runtime {

class LatencyHistogram {
 public:
  static constexpr double kGrowth = 1.02;
  static constexpr double kMinMicros = 1.0;
  static constexpr size_t kBuckets = 1130;

  void add(std::chrono::microseconds latency);

  // Nearest-rank quantile, q in [0, 1]; 0 when empty.
  std::chrono::microseconds quantile(double q) const;

  uint64_t count() const { return count_; }
  std::chrono::microseconds min() const { return std::chrono::microseconds{min_}; }
  std::chrono::microseconds max() const { return std::chrono::microseconds{max_}; }
  std::chrono::microseconds mean() const;

 private:
  static size_t bucket_for(double micros);

  std::array<uint64_t, kBuckets> buckets_{};
  uint64_t count_ = 0;
  int64_t min_ = 0;
  int64_t max_ = 0;
  double sum_ = 0;
};

}  // namespace bedrock::runtime
