#include "server/access_log.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

namespace bedrock::server {
namespace {

// A line is one JSON object with the request's figures and the model's usage.
TEST(AccessLog, LineCarriesRequestAndUpstreamFigures) {
  AccessEntry e;
  e.finished = std::chrono::system_clock::time_point(std::chrono::milliseconds(1700000000123));
  e.request_id = "abc";
  e.method = "POST";
  e.route = "api.summarize";
  e.status = 200;
  e.key_id = "team-a";
  e.latency = std::chrono::milliseconds(12);
  e.upstream.calls = 1;
  e.upstream.model = "anthropic.claude-3-haiku-20240307-v1:0";
  e.upstream.input_tokens = 10;
  e.upstream.output_tokens = 20;
  e.upstream.upstream_time = std::chrono::milliseconds(11);
  e.upstream.cost_usd = 0.0000125;
  e.upstream.retries = 2;
  e.upstream.time_to_first_token = std::chrono::microseconds(1500);
  const std::string line = access_log_line(e);
  EXPECT_EQ(line.find('\n'), std::string::npos);
  auto j = nlohmann::json::parse(line);
  EXPECT_EQ(j["ts"], "2023-11-14T22:13:20.123Z");
  EXPECT_EQ(j["request_id"], "abc");
  EXPECT_EQ(j["route"], "api.summarize");
  EXPECT_EQ(j["status"], 200);
  EXPECT_EQ(j["key_id"], "team-a");
  EXPECT_EQ(j["model"], "anthropic.claude-3-haiku-20240307-v1:0");
  EXPECT_EQ(j["input_tokens"], 10);
  EXPECT_EQ(j["output_tokens"], 20);
  EXPECT_DOUBLE_EQ(j["latency_ms"].get<double>(), 12.0);
  EXPECT_DOUBLE_EQ(j["upstream_ms"].get<double>(), 11.0);
  EXPECT_DOUBLE_EQ(j["ttft_ms"].get<double>(), 1.5);
  EXPECT_DOUBLE_EQ(j["cost_usd"].get<double>(), 0.0000125);
  EXPECT_EQ(j["retries"], 2);
  EXPECT_EQ(j["upstream_calls"], 1);
  EXPECT_FALSE(j.contains("fallbacks"));
}

// A request without upstream calls logs no model fields; a hostile model name stays one line.
TEST(AccessLog, NoUpstreamNoModelAndHostileNamesStayOneLine) {
  AccessEntry e;
  e.request_id = "abc";
  e.route = "healthz";
  e.status = 200;
  auto j = nlohmann::json::parse(access_log_line(e));
  EXPECT_FALSE(j.contains("model"));
  e.upstream.calls = 1;
  e.upstream.model = "evil\n{\"status\":200}\xff";
  const std::string line = access_log_line(e);
  EXPECT_EQ(line.find('\n'), std::string::npos);
  EXPECT_TRUE(nlohmann::json::accept(line));
}

}  // namespace
}  // namespace bedrock::server
