// The service's figures for GET /metrics (Prometheus text format 0.0.4). Requests are counted
// on the hot path with relaxed atomics only (per route, per status; histograms of fixed
// buckets); upstream calls come from the client's InvocationSink, one short lock per call on
// a map of at most kMaxModels models (later names count under model="other", so a caller
// inventing model names cannot grow it).
#pragma once

#include <array>
#include <atomic>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "bedrock/runtime/metrics.h"

namespace bedrock::server {

// Seconds, for latencies from 10 µs (the service's own overhead) to 2 minutes.
inline constexpr std::array<double, 22> kBucketBounds{
    0.00001, 0.000025, 0.00005, 0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025,
    0.05,    0.1,      0.25,    0.5,    1,       2.5,    5,     10,     30,    60,   120};

class Histogram {
 public:
  void observe(std::chrono::nanoseconds value);
  // Appends the _bucket, _sum and _count lines of `name` with `labels` ("" or `k="v"`).
  void render(std::string& out, std::string_view name, std::string_view labels) const;
  std::uint64_t count() const { return count_.load(std::memory_order_relaxed); }

 private:
  std::array<std::atomic<std::uint64_t>, kBucketBounds.size() + 1> buckets_{};
  std::atomic<std::uint64_t> sum_ns_{0};
  std::atomic<std::uint64_t> count_{0};
};

class ServiceMetrics final : public runtime::InvocationSink {
 public:
  static constexpr std::size_t kMaxModels = 128;

  // One slot per route name (by Router index), plus one for unmatched requests (index
  // route_names.size()).
  explicit ServiceMetrics(std::vector<std::string> route_names);

  // A request ended with `status` after `total`; `overhead` is total minus the time its
  // upstream calls spent waiting for Bedrock (UpstreamSummary::upstream_wait), when it made
  // any (and all succeeded).
  void request_done(std::size_t route, unsigned status, std::chrono::nanoseconds total,
                    std::optional<std::chrono::nanoseconds> overhead);

  // InvocationSink: one upstream call (any thread).
  void record(const runtime::InvocationRecord& record) override;

  // `access_log_dropped`: access-log lines lost so far (LineWriter::dropped()).
  std::string render(std::size_t in_flight, std::uint64_t access_log_dropped = 0) const;

 private:
  struct RouteFigures {
    std::array<std::atomic<std::uint64_t>, 500> by_status{};  // statuses 100..599
    Histogram duration;
  };
  struct ModelFigures {
    std::map<std::string, std::uint64_t> calls_by_outcome;  // "success" or an error code
    std::uint64_t retries = 0;
    std::uint64_t fallbacks = 0;
    std::uint64_t input_tokens = 0, output_tokens = 0, cache_read_tokens = 0,
                  cache_write_tokens = 0;
    double cost_usd = 0;
    Histogram latency;
    Histogram time_to_first_token;
  };

  std::vector<std::string> route_names_;
  std::vector<std::unique_ptr<RouteFigures>> routes_;
  Histogram overhead_;
  mutable std::mutex models_mutex_;
  std::map<std::string, std::unique_ptr<ModelFigures>> models_;
};

// `value` escaped for a Prometheus label (backslash, double quote, newline).
std::string escape_label(std::string_view value);

}  // namespace bedrock::server
