#include "bedrock/runtime/latency_histogram.h"

#include <algorithm>
#include <cmath>

namespace bedrock::runtime {

size_t LatencyHistogram::bucket_for(double micros) {
  if (micros < kMinMicros) return 0;
  const double index = std::floor(std::log(micros / kMinMicros) / std::log(kGrowth)) + 1;
  return std::min(static_cast<size_t>(index), kBuckets - 1);
}

void LatencyHistogram::add(std::chrono::microseconds latency) {
  const int64_t v = std::max<int64_t>(0, latency.count());
  ++buckets_[bucket_for(static_cast<double>(v))];
  if (count_ == 0 || v < min_) min_ = v;
  if (count_ == 0 || v > max_) max_ = v;
  ++count_;
  sum_ += static_cast<double>(v);
}

std::chrono::microseconds LatencyHistogram::quantile(double q) const {
  if (count_ == 0) return std::chrono::microseconds{0};
  q = std::clamp(q, 0.0, 1.0);
  const uint64_t rank =
      std::max<uint64_t>(1, static_cast<uint64_t>(std::ceil(q * static_cast<double>(count_))));
  uint64_t seen = 0;
  for (size_t i = 0; i < kBuckets; ++i) {
    seen += buckets_[i];
    if (seen < rank) continue;
    double value = 0;
    if (i > 0) {
      const double lower = kMinMicros * std::pow(kGrowth, static_cast<double>(i - 1));
      value = lower * std::sqrt(kGrowth);
    }
    value = std::clamp(value, static_cast<double>(min_), static_cast<double>(max_));
    return std::chrono::microseconds{static_cast<int64_t>(std::llround(value))};
  }
  return std::chrono::microseconds{max_};
}

std::chrono::microseconds LatencyHistogram::mean() const {
  if (count_ == 0) return std::chrono::microseconds{0};
  return std::chrono::microseconds{
      static_cast<int64_t>(std::llround(sum_ / static_cast<double>(count_)))};
}

}  // namespace bedrock::runtime
