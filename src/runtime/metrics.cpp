#include "bedrock/runtime/metrics.h"

namespace bedrock::runtime {

void MetricsAggregator::add(Entry& e, const InvocationRecord& r) {
  auto& s = e.stats;
  ++s.calls;
  if (r.outcome == Outcome::Success) {
    ++s.successes;
  } else {
    ++s.failures;
    ++s.failures_by_code[r.error_code.empty() ? "Unknown" : r.error_code];
  }
  s.attempts += static_cast<uint64_t>(r.attempts);
  s.input_tokens += r.input_tokens;
  s.output_tokens += r.output_tokens;
  s.cost_usd += r.cost_usd;
  e.latency.add(r.latency);
}

ModelStats MetricsAggregator::finish(const Entry& e) {
  ModelStats s = e.stats;
  s.p50 = e.latency.quantile(0.50);
  s.p95 = e.latency.quantile(0.95);
  s.p99 = e.latency.quantile(0.99);
  s.max = e.latency.max();
  s.mean = e.latency.mean();
  return s;
}

void MetricsAggregator::record(const InvocationRecord& r) {
  const std::string& key = r.model_used.empty() ? r.model_requested : r.model_used;
  std::lock_guard lock(mu_);
  add(by_model_[key], r);
  add(total_, r);
  for (const auto& skipped : r.skipped) ++by_model_[skipped.model_id].stats.fallbacks_from;
}

std::map<std::string, ModelStats> MetricsAggregator::snapshot() const {
  std::lock_guard lock(mu_);
  std::map<std::string, ModelStats> out;
  for (const auto& [model, entry] : by_model_) out.emplace(model, finish(entry));
  return out;
}

ModelStats MetricsAggregator::total() const {
  std::lock_guard lock(mu_);
  return finish(total_);
}

}  // namespace bedrock::runtime
