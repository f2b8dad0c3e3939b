// Large-document summaries run on the bounded map-reduce pool: a request beyond its workers
// and queue is a 503 with Retry-After at once, and stopping the service ends the running jobs
// (their upstream calls cancelled) instead of waiting for them.
#include <gtest/gtest.h>

#include <memory>
#include <thread>
#include <vector>

#include "integration/server/api_test_support.h"
#include "server/api/api_state.h"

namespace bedrock::server::testing {
namespace {

using nlohmann::json;

TEST(ApiMapReducePool, FullPoolIs503AndStopEndsJobs) {
  REQUIRE_EMULATOR();
  // Every model call takes 2 s: the jobs that get a worker stay busy, the others wait.
  ApiHarness h({"--latency-ms", "2000"});
  std::string doc;
  for (int i = 0; doc.size() < 40'000; ++i) doc += "Item " + std::to_string(i) + " is listed. ";
  const std::string body = json{{"text", doc}, {"chunking", "always"}}.dump();
  const std::size_t capacity = api::ApiState::kMapReduceWorkers + api::ApiState::kMapReduceQueue;
  std::vector<std::unique_ptr<net::testing::RawClient>> clients;
  for (std::size_t i = 0; i < capacity + 1; ++i) {
    // The workers take the first jobs before the queue fills: only then is the bound exact.
    if (i == api::ApiState::kMapReduceWorkers) {
      std::this_thread::sleep_for(std::chrono::milliseconds(300));
    }
    clients.push_back(std::make_unique<net::testing::RawClient>(h.port()));
    clients.back()->send(net::testing::request("POST", "/api/summarize", body));
  }
  int refused = 0;
  for (auto& c : clients) {
    c->read_until([](const std::string& b) { return net::testing::parse_response(b).has_value(); },
                  std::chrono::milliseconds(300));
    if (auto r = net::testing::parse_response(c->received())) {
      EXPECT_EQ(r->status, 503u) << r->body;
      EXPECT_NE(c->received().find("Retry-After"), std::string::npos) << c->received();
      ++refused;
    }
  }
  EXPECT_EQ(refused, 1);
  const auto stopping = std::chrono::steady_clock::now();
  h.service().stop(std::chrono::milliseconds(0));
  // Without the pool's stop hook this would wait for the jobs' calls, or crash on a gone client.
  EXPECT_LT(std::chrono::steady_clock::now() - stopping, std::chrono::seconds(3));
  // Every job has ended with stop(), so no request still holds its scope.
  EXPECT_EQ(h.service().in_flight(), 0u);
}

}  // namespace
}  // namespace bedrock::server::testing
