#include "bedrock/runtime/metrics.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <random>
#include <vector>

namespace bedrock::runtime {
namespace {

using std::chrono::microseconds;

int64_t exact_quantile(std::vector<int64_t> v, double q) {
  std::sort(v.begin(), v.end());
  size_t rank = static_cast<size_t>(std::ceil(q * static_cast<double>(v.size())));
  return v[std::max<size_t>(rank, 1) - 1];
}

// Quantiles of 1..100000 us (uniform) are within the documented 1% of the exact ones.
TEST(LatencyHistogram, UniformQuantilesWithinBound) {
  LatencyHistogram h;
  std::vector<int64_t> values;
  for (int64_t i = 1; i <= 100000; ++i) {
    h.add(microseconds(i));
    values.push_back(i);
  }
  for (double q : {0.5, 0.95, 0.99}) {
    const double exact = static_cast<double>(exact_quantile(values, q));
    const double got = static_cast<double>(h.quantile(q).count());
    EXPECT_LE(std::abs(got - exact) / exact, 0.01) << q << " exact " << exact << " got " << got;
  }
  EXPECT_EQ(h.count(), 100000u);
  EXPECT_EQ(h.min(), microseconds(1));
  EXPECT_EQ(h.max(), microseconds(100000));
  EXPECT_EQ(h.mean(), microseconds(50001));  // 50000.5 rounded
}

// A heavy-tailed (log-normal) distribution: still within 1%.
TEST(LatencyHistogram, LogNormalQuantilesWithinBound) {
  std::mt19937_64 rng(42);
  std::lognormal_distribution<double> dist(std::log(200000.0), 0.8);
  LatencyHistogram h;
  std::vector<int64_t> values;
  for (int i = 0; i < 50000; ++i) {
    auto v = static_cast<int64_t>(dist(rng));
    h.add(microseconds(v));
    values.push_back(v);
  }
  for (double q : {0.5, 0.95, 0.99}) {
    const double exact = static_cast<double>(exact_quantile(values, q));
    const double got = static_cast<double>(h.quantile(q).count());
    EXPECT_LE(std::abs(got - exact) / exact, 0.01) << q;
  }
}

// A single sample is reported exactly (clamped to min/max); empty is 0.
TEST(LatencyHistogram, SingleAndEmpty) {
  LatencyHistogram h;
  EXPECT_EQ(h.quantile(0.5), microseconds(0));
  h.add(microseconds(1234));
  EXPECT_EQ(h.quantile(0.5), microseconds(1234));
  EXPECT_EQ(h.quantile(0.99), microseconds(1234));
}

InvocationRecord rec(std::string requested, std::string used, bool ok, int in, int out, double cost,
                     int64_t latency_us, std::string code = {}) {
  InvocationRecord r;
  r.model_requested = std::move(requested);
  r.model_used = std::move(used);
  r.outcome = ok ? Outcome::Success : Outcome::Failure;
  r.input_tokens = in;
  r.output_tokens = out;
  r.cost_usd = cost;
  r.latency = microseconds(latency_us);
  r.attempts = 1;
  r.error_code = std::move(code);
  return r;
}

// Per-model counts by outcome, token totals, cost, and fallbacks are aggregated.
TEST(MetricsAggregator, PerModelFigures) {
  MetricsAggregator m;
  m.record(rec("a", "a", true, 10, 20, 0.5, 1000));
  m.record(rec("a", "a", true, 5, 6, 0.25, 3000));
  m.record(rec("a", "", false, 0, 0, 0, 500, "Throttling"));
  auto fb = rec("a", "b", true, 1, 2, 0.125, 9000);
  fb.skipped.push_back({"a", "Throttling: slow down"});
  fb.attempts = 4;
  m.record(fb);

  auto snap = m.snapshot();
  ASSERT_EQ(snap.size(), 2u);
  const auto& a = snap.at("a");
  EXPECT_EQ(a.calls, 3u);
  EXPECT_EQ(a.successes, 2u);
  EXPECT_EQ(a.failures, 1u);
  EXPECT_EQ(a.failures_by_code.at("Throttling"), 1u);
  EXPECT_EQ(a.input_tokens, 15);
  EXPECT_EQ(a.output_tokens, 26);
  EXPECT_DOUBLE_EQ(a.cost_usd, 0.75);
  EXPECT_EQ(a.fallbacks_from, 1u);
  EXPECT_NEAR(static_cast<double>(a.p50.count()), 1000.0, 10.0);  // within the 1% bound
  EXPECT_EQ(a.max, microseconds(3000));
  const auto& b = snap.at("b");
  EXPECT_EQ(b.calls, 1u);
  EXPECT_EQ(b.attempts, 4u);
  auto t = m.total();
  EXPECT_EQ(t.calls, 4u);
  EXPECT_DOUBLE_EQ(t.cost_usd, 0.875);
}

}  // namespace
}  // namespace bedrock::runtime
