// GET /metrics after real requests through the emulator (requests, upstream calls, tokens,
// overhead), and drain: stop() lets an in-flight call and an in-flight stream finish.
#include <gtest/gtest.h>

#include <future>
#include <thread>

#include "integration/runtime/emulator_process.h"
#include "server_client.h"
#include "test_routes.h"

namespace bedrock::server {
namespace {

using bedrock::testing::EmulatorProcess;
using testing::call;
using testing::emulator_built;

const std::vector<std::string> kEmulatorKeys = {
    "--credentials", "AKIDEMULATOR:emulator/secret/key/0123456789abcdef"};

std::unique_ptr<Service> service_for(const EmulatorProcess& emulator) {
  auto o = testing::loopback_options(emulator.url());
  o.extra_routes = testing::add_upstream_routes;
  return testing::start_service(std::move(o));
}

bool has(const std::string& text, const std::string& piece) {
  return text.find(piece) != std::string::npos;
}

// /metrics once the one request that called Bedrock has ended (its scope can end just after
// its answer is read); value() reads a series by its whole name, labels included.
struct Metrics {
  std::string body;
  double value(const std::string& series) const {
    const auto at = body.find("\n" + series + " ");
    return at == std::string::npos ? -1.0 : std::stod(body.substr(at + series.size() + 2));
  }
};
Metrics metrics_after_one_call(std::uint16_t port) {
  testing::Reply r;
  for (int i = 0; i < 200; ++i) {
    r = call(port, "GET", "/metrics");
    if (has(r.body, "bedrock_server_overhead_seconds_count 1\n")) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  return Metrics{r.body};
}

// /metrics counts the requests, the upstream call by model, its tokens and the overhead.
TEST(ServerMetrics, CountsRequestsUpstreamCallsAndOverhead) {
  if (!emulator_built()) GTEST_SKIP() << "bedrock-emulator not built";
  EmulatorProcess emulator(kEmulatorKeys);
  auto service = service_for(emulator);
  ASSERT_TRUE(service);
  ASSERT_EQ(call(service->port(), "POST", "/test/invoke", "").status, 200u);
  ASSERT_EQ(call(service->port(), "GET", "/nope").status, 404u);
  // A request is counted when its scope ends, which can be just after its answer is read.
  testing::Reply r;
  for (int i = 0; i < 200; ++i) {
    r = call(service->port(), "GET", "/metrics");
    if (has(r.body, "bedrock_server_overhead_seconds_count 1\n") &&
        has(r.body, "route=\"unmatched\",status=\"404\"} 1\n")) {
      break;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  ASSERT_EQ(r.status, 200u);
  EXPECT_EQ(r.header("content-type").rfind("text/plain; version=0.0.4", 0), 0u);
  const std::string& m = r.body;
  EXPECT_TRUE(has(m, "bedrock_server_requests_total{route=\"test.invoke\",status=\"200\"} 1\n"));
  EXPECT_TRUE(has(m, "bedrock_server_requests_total{route=\"unmatched\",status=\"404\"} 1\n"));
  EXPECT_TRUE(has(m, std::string("bedrock_server_upstream_calls_total{model=\"") + testing::kHaiku +
                         "\",outcome=\"success\"} 1\n"));
  EXPECT_TRUE(has(m, "bedrock_server_overhead_seconds_count 1\n"));
  // The scrape itself is in flight (a previous one may still be ending on another thread).
  const auto at = m.find("\nbedrock_server_requests_in_flight ");
  ASSERT_NE(at, std::string::npos);
  EXPECT_GE(std::stoi(m.substr(at + 35)), 1);
  EXPECT_FALSE(has(m, std::string("kind=\"output\"} 0\n")));
}

// One POST to `path` (route `route`) through a fresh service: the request lasts at least
// 300 ms, which must all be in its duration and none in the overhead.
void expect_300ms_outside_the_overhead(std::vector<std::string> emulator_flags,
                                       const std::string& path, const std::string& route) {
  EmulatorProcess emulator(emulator_flags);
  auto service = service_for(emulator);
  ASSERT_TRUE(service);
  ASSERT_EQ(call(service->port(), "POST", path, "").status, 200u);
  const Metrics m = metrics_after_one_call(service->port());
  ASSERT_EQ(m.value("bedrock_server_overhead_seconds_count"), 1.0);
  EXPECT_GE(m.value("bedrock_server_request_duration_seconds_sum{route=\"" + route + "\"}"), 0.3);
  const double overhead = m.value("bedrock_server_overhead_seconds_sum");
  EXPECT_GE(overhead, 0.0);
  EXPECT_LT(overhead, 0.1);
}

// The overhead histogram is the service's own time: a call that waits 300 ms for its answer
// adds that to the request's duration, never to the overhead.
TEST(ServerMetrics, OverheadLeavesOutTheWaitForBedrock) {
  if (!emulator_built()) GTEST_SKIP() << "bedrock-emulator not built";
  auto flags = kEmulatorKeys;
  flags.insert(flags.end(), {"--latency-ms", "300"});
  expect_300ms_outside_the_overhead(flags, "/test/invoke", "test.invoke");
}

// The overhead ends when the answer is handed to the connection: writing it (on loopback the
// kernel delivers it to the client and wakes the client inside our write) and whatever the
// route still does afterwards (here: 300 ms) count in the request's duration, not in the
// overhead.
TEST(ServerMetrics, OverheadEndsWhenTheAnswerIsHandedOver) {
  if (!emulator_built()) GTEST_SKIP() << "bedrock-emulator not built";
  expect_300ms_outside_the_overhead(kEmulatorKeys, "/test/invoke-then-linger", "test.linger");
}

// stop() with a grace period lets a call waiting on a slow upstream finish with 200.
TEST(ServerDrain, InFlightRequestFinishesDuringDrain) {
  if (!emulator_built()) GTEST_SKIP() << "bedrock-emulator not built";
  auto flags = kEmulatorKeys;
  flags.insert(flags.end(), {"--latency-ms", "400"});
  EmulatorProcess emulator(flags);
  auto service = service_for(emulator);
  ASSERT_TRUE(service);
  const auto port = service->port();
  auto reply =
      std::async(std::launch::async, [port] { return call(port, "POST", "/test/invoke", ""); });
  for (int i = 0; i < 200 && service->in_flight() == 0; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  ASSERT_EQ(service->in_flight(), 1u);
  service->stop(std::chrono::seconds(10));
  EXPECT_EQ(reply.get().status, 200u);
  // The listener is closed: a new connection gets nothing.
  EXPECT_EQ(call(port, "GET", "/healthz", {}, {}, std::chrono::milliseconds(500)).status, 0u);
}

// stop() lets a stream in progress finish with its final event.
TEST(ServerDrain, StreamFinishesDuringDrain) {
  if (!emulator_built()) GTEST_SKIP() << "bedrock-emulator not built";
  auto flags = kEmulatorKeys;
  flags.insert(flags.end(), {"--stream-token-ms", "60"});
  EmulatorProcess emulator(flags);
  auto service = service_for(emulator);
  ASSERT_TRUE(service);
  const auto port = service->port();
  auto reply =
      std::async(std::launch::async, [port] { return call(port, "POST", "/test/stream", ""); });
  for (int i = 0; i < 200 && service->in_flight() == 0; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  std::this_thread::sleep_for(std::chrono::milliseconds(100));  // mid-stream
  service->stop(std::chrono::seconds(10));
  auto r = reply.get();
  EXPECT_EQ(r.status, 200u);
  EXPECT_TRUE(has(r.body, "event: done")) << r.body;
}

}  // namespace
}  // namespace bedrock::server
