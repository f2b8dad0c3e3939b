// Where invocation records go, and an in-memory aggregator of them.
#pragma once

#include <chrono>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "bedrock/runtime/invocation.h"
#include "bedrock/runtime/latency_histogram.h"

namespace bedrock::runtime {

// Receives one record per call (success or failure), on the calling thread, after the call
// finished. Implementations must be thread-safe and quick (they run on the caller's path).
class InvocationSink {
 public:
  virtual ~InvocationSink() = default;
  virtual void record(const InvocationRecord& record) = 0;
};

// Forwards each record to several sinks (for example metrics and a JSON-lines log).
class FanOutSink final : public InvocationSink {
 public:
  explicit FanOutSink(std::vector<std::shared_ptr<InvocationSink>> sinks)
      : sinks_(std::move(sinks)) {}
  void record(const InvocationRecord& r) override {
    for (auto& s : sinks_)
      if (s) s->record(r);
  }

 private:
  std::vector<std::shared_ptr<InvocationSink>> sinks_;
};

struct ModelStats {
  uint64_t calls = 0;
  uint64_t successes = 0;
  uint64_t failures = 0;
  std::map<std::string, uint64_t> failures_by_code;  // error code name -> count
  uint64_t attempts = 0;
  uint64_t fallbacks_from = 0;  // calls where this model was skipped for a later one
  int64_t input_tokens = 0;
  int64_t output_tokens = 0;
  double cost_usd = 0;
  std::chrono::microseconds p50{0}, p95{0}, p99{0}, max{0}, mean{0};
};

// Per-model counts by outcome, token totals, cost and latency quantiles, with memory bounded
// by the number of distinct models (one LatencyHistogram each; see its error bound), not by
// the number of calls. A record is filed under the model that answered, or the model that was
// asked when nothing answered. Thread-safe.
class MetricsAggregator final : public InvocationSink {
 public:
  void record(const InvocationRecord& record) override;

  // Copy of the current figures, by model id.
  std::map<std::string, ModelStats> snapshot() const;
  // All models together.
  ModelStats total() const;

 private:
  struct Entry {
    ModelStats stats;
    LatencyHistogram latency;
  };
  static void add(Entry& e, const InvocationRecord& r);
  static ModelStats finish(const Entry& e);

  mutable std::mutex mu_;
  std::map<std::string, Entry> by_model_;
  Entry total_;
};

}  // namespace bedrock::runtime
