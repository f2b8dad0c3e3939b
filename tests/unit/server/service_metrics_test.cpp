#include "server/service_metrics.h"

#include <gtest/gtest.h>

namespace bedrock::server {
namespace {

using std::chrono::microseconds;

bool has(const std::string& text, const std::string& line) {
  return text.find(line + "\n") != std::string::npos;
}

// Requests count by route and status; the overhead histogram sees only what it is given.
TEST(ServiceMetrics, CountsRequestsByRouteAndStatus) {
  ServiceMetrics m({"healthz", "api.summarize"});
  m.request_done(1, 200, microseconds(900), microseconds(30));
  m.request_done(1, 200, microseconds(800), std::nullopt);
  m.request_done(1, 429, microseconds(100), std::nullopt);
  m.request_done(2, 404, microseconds(10), std::nullopt);  // unmatched
  const std::string text = m.render(3);
  EXPECT_TRUE(has(text, R"(bedrock_server_requests_total{route="api.summarize",status="200"} 2)"));
  EXPECT_TRUE(has(text, R"(bedrock_server_requests_total{route="api.summarize",status="429"} 1)"));
  EXPECT_TRUE(has(text, R"(bedrock_server_requests_total{route="unmatched",status="404"} 1)"));
  EXPECT_TRUE(has(text, "bedrock_server_requests_in_flight 3"));
  EXPECT_TRUE(has(text, "bedrock_server_overhead_seconds_count 1"));
  EXPECT_TRUE(has(text, R"(bedrock_server_overhead_seconds_bucket{le="2.5e-05"} 0)"));
  EXPECT_TRUE(has(text, R"(bedrock_server_overhead_seconds_bucket{le="5e-05"} 1)"));
  EXPECT_TRUE(has(text, R"(bedrock_server_overhead_seconds_bucket{le="+Inf"} 1)"));
}

// Upstream records add up by model: outcome, retries, fallbacks, tokens, cost, TTFT.
TEST(ServiceMetrics, UpstreamFiguresByModel) {
  ServiceMetrics m({});
  runtime::InvocationRecord ok;
  ok.model_requested = "a";
  ok.model_used = "b";
  ok.outcome = runtime::Outcome::Success;
  ok.attempts = 3;
  ok.skipped.push_back({"a", "throttled"});
  ok.input_tokens = 10;
  ok.output_tokens = 5;
  ok.cost_usd = 0.25;
  ok.latency = microseconds(2000);
  ok.time_to_first_token = microseconds(400);
  m.record(ok);
  runtime::InvocationRecord bad;
  bad.model_requested = "c";
  bad.error_code = "Throttling";
  m.record(bad);
  const std::string text = m.render(0);
  EXPECT_TRUE(has(text, R"(bedrock_server_upstream_calls_total{model="b",outcome="success"} 1)"));
  EXPECT_TRUE(
      has(text, R"(bedrock_server_upstream_calls_total{model="c",outcome="Throttling"} 1)"));
  EXPECT_TRUE(has(text, R"(bedrock_server_upstream_retries_total{model="b"} 2)"));
  EXPECT_TRUE(has(text, R"(bedrock_server_upstream_fallbacks_total{model="b"} 1)"));
  EXPECT_TRUE(has(text, R"(bedrock_server_upstream_tokens_total{model="b",kind="input"} 10)"));
  EXPECT_TRUE(has(text, R"(bedrock_server_upstream_tokens_total{model="b",kind="output"} 5)"));
  EXPECT_TRUE(has(text, R"(bedrock_server_upstream_cost_usd_total{model="b"} 0.250000)"));
  EXPECT_TRUE(
      has(text, R"(bedrock_server_upstream_time_to_first_token_seconds_count{model="b"} 1)"));
}

// Invented model names cannot grow the map past its bound, and labels are escaped.
TEST(ServiceMetrics, BoundsModelsAndEscapesLabels) {
  ServiceMetrics m({});
  for (std::size_t i = 0; i < ServiceMetrics::kMaxModels + 50; ++i) {
    runtime::InvocationRecord r;
    r.model_requested = "m" + std::to_string(i);
    m.record(r);
  }
  runtime::InvocationRecord quote;
  quote.model_requested = "x\"y\n";
  m.record(quote);
  const std::string text = m.render(0);
  EXPECT_TRUE(
      has(text, R"(bedrock_server_upstream_calls_total{model="other",outcome="Unknown"} 51)"));
  EXPECT_EQ(escape_label("x\"y\n\\"), "x\\\"y\\n\\\\");
}

}  // namespace
}  // namespace bedrock::server
