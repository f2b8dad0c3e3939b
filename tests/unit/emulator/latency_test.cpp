#include "emulator/latency.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <vector>

#include "emulator/behavior.h"
#include "fakes/fixed_random.h"

namespace bedrock::emulator {
namespace {

// The three spellings of --latency-ms map to the three distributions.
TEST(ParseLatency, AcceptsFixedUniformAndLogNormal) {
  auto fixed = parse_latency("250");
  ASSERT_TRUE(fixed);
  EXPECT_EQ(fixed->kind, LatencySpec::Kind::Fixed);
  EXPECT_DOUBLE_EQ(fixed->a_ms, 250);
  auto uniform = parse_latency("100-400");
  ASSERT_TRUE(uniform);
  EXPECT_EQ(uniform->kind, LatencySpec::Kind::Uniform);
  EXPECT_DOUBLE_EQ(uniform->b_ms, 400);
  auto lognormal = parse_latency("200:900");
  ASSERT_TRUE(lognormal);
  EXPECT_EQ(lognormal->kind, LatencySpec::Kind::LogNormal);
  EXPECT_DOUBLE_EQ(lognormal->a_ms, 200);
  EXPECT_DOUBLE_EQ(lognormal->b_ms, 900);
  EXPECT_EQ(parse_latency("0")->kind, LatencySpec::Kind::None);
}

// Garbage, negative values and inverted ranges are configuration errors.
TEST(ParseLatency, RejectsMalformed) {
  for (const char* bad : {"", "abc", "-5", "400-100", "900:200", "0:10", "1:x", "5ms"}) {
    auto r = parse_latency(bad);
    ASSERT_FALSE(r) << bad;
    EXPECT_EQ(r.error().code, ErrorCode::ConfigurationInvalid) << bad;
  }
}

double percentile(std::vector<double> v, double q) {
  std::sort(v.begin(), v.end());
  return v[static_cast<std::size_t>(q * (v.size() - 1))];
}

// A log-normal spec reproduces its median and p99 within sampling tolerance.
TEST(LatencySpec, LogNormalHitsMedianAndP99) {
  auto spec = parse_latency("200:900");
  ASSERT_TRUE(spec);
  SeededRandom random(42);
  std::vector<double> samples;
  for (int i = 0; i < 40000; ++i) samples.push_back(spec->sample_first_byte_ms(random));
  EXPECT_NEAR(percentile(samples, 0.5), 200, 200 * 0.05);
  EXPECT_NEAR(percentile(samples, 0.99), 900, 900 * 0.10);
}

// Uniform draws stay in range and centre on the midpoint; fixed is exact.
TEST(LatencySpec, UniformAndFixed) {
  auto spec = parse_latency("100-300");
  SeededRandom random(7);
  std::vector<double> samples;
  for (int i = 0; i < 10000; ++i) samples.push_back(spec->sample_first_byte_ms(random));
  EXPECT_GE(*std::min_element(samples.begin(), samples.end()), 100);
  EXPECT_LE(*std::max_element(samples.begin(), samples.end()), 300);
  EXPECT_NEAR(percentile(samples, 0.5), 200, 10);
  FixedRandom r(0.3);
  EXPECT_DOUBLE_EQ(parse_latency("250")->sample_first_byte_ms(r), 250);
}

// The per-token rate adds output_tokens * rate to the first-byte time.
TEST(LatencySpec, PerTokenRateAdds) {
  LatencySpec spec = *parse_latency("100");
  spec.per_output_token_ms = 2.5;
  FixedRandom r(0.5);
  EXPECT_EQ(std::chrono::duration_cast<std::chrono::milliseconds>(spec.sample_total(r, 40)).count(),
            200);
  EXPECT_EQ(describe(spec), "100+2.5ms/token");
}

}  // namespace
}  // namespace bedrock::emulator
