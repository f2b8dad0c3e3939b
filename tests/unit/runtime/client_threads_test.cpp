#include <gtest/gtest.h>

#include <set>
#include <thread>

#include "bedrock/runtime/bedrock_client.h"
#include "bedrock/runtime/metrics.h"
#include "client_test_support.h"
#include "fakes/fake_clock.h"
#include "fakes/fixed_random.h"

namespace bedrock::runtime {
namespace {

using namespace testing_support;

// Eight threads share one client: every call succeeds, each gets its own invocation id,
// and the aggregator sees every record.
TEST(ClientThreads, EightThreadsShareOneClient) {
  FakeClock clock;
  auto transport = std::make_shared<bedrock::testing::FakeTransport>();
  std::atomic<int> n{0};
  transport->set_default([&](const http::Request& req, const http::CallOptions&) {
    // Every 5th first attempt is throttled, so retries interleave across threads (retries
    // themselves always succeed, keeping the outcome deterministic).
    if (header(req, "amz-sdk-request") == "attempt=1; max=3" && ++n % 5 == 0) {
      return Result<http::Response>(
          http::Response{429, error_headers("ThrottlingException"), "{}"});
    }
    return Result<http::Response>(http::Response{200, {}, anthropic_body()});
  });
  auto metrics = std::make_shared<MetricsAggregator>();
  ClientOptions o;
  o.region = "us-east-1";
  o.transport = transport;
  o.clock = &clock;
  o.random = std::make_shared<FixedRandom>(0.0);
  o.credentials = std::make_shared<StaticCredentials>();
  o.sink = metrics;
  auto client = BedrockClient::create(std::move(o));
  ASSERT_TRUE(client.has_value());

  constexpr int kThreads = 8, kCalls = 50;
  std::atomic<int> ok{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < kCalls; ++i) {
        auto r = (*client)->invoke(kHaiku, models::Prompt::from_user("hi"));
        if (r && r->completion.text == "Hello") ++ok;
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(ok.load(), kThreads * kCalls);
  auto total = metrics->total();
  EXPECT_EQ(total.calls, static_cast<uint64_t>(kThreads * kCalls));
  EXPECT_EQ(total.successes, static_cast<uint64_t>(kThreads * kCalls));
  EXPECT_EQ(total.attempts, static_cast<uint64_t>(transport->calls()));
  EXPECT_EQ(total.input_tokens, 18 * kThreads * kCalls);
  std::set<std::string> ids;
  for (const auto& r : transport->requests()) {
    for (const auto& [k, v] : r.headers)
      if (k == "amz-sdk-invocation-id") ids.insert(v);
  }
  EXPECT_EQ(ids.size(), static_cast<size_t>(kThreads * kCalls));
}

}  // namespace
}  // namespace bedrock::runtime
