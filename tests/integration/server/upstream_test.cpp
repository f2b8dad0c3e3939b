// Routes that call Bedrock through Service::upstream() against the real emulator: a JSON
// answer from the upstream loop, a stream written on the connection's executor, and an
// upstream failure mapped to its status. Also the pattern route authors copy.
#include <gtest/gtest.h>

#include <boost/asio/post.hpp>
#include <filesystem>

#include "integration/runtime/emulator_process.h"
#include "server_client.h"
#include "test_routes.h"

namespace bedrock::server {
namespace {

using bedrock::testing::EmulatorProcess;
using testing::add_upstream_routes;
using testing::call;
using testing::emulator_built;
using testing::kHaiku;

std::vector<std::string> emulator_flags(std::vector<std::string> more) {
  std::vector<std::string> flags = {"--credentials",
                                    "AKIDEMULATOR:emulator/secret/key/0123456789abcdef"};
  flags.insert(flags.end(), more.begin(), more.end());
  return flags;
}

struct UpstreamFixture {
  explicit UpstreamFixture(std::vector<std::string> flags = {},
                           std::chrono::milliseconds request_timeout = std::chrono::seconds(60))
      : emulator(emulator_flags(std::move(flags))) {
    auto options = testing::loopback_options(emulator.url());
    options.server.request_timeout = request_timeout;
    options.extra_routes = add_upstream_routes;
    service = testing::start_service(std::move(options));
  }
  EmulatorProcess emulator;
  std::unique_ptr<Service> service;
};

// A handler's upstream call answers from its Done callback.
TEST(ServerUpstream, InvokeAnswersFromItsDoneCallback) {
  if (!emulator_built()) GTEST_SKIP() << "bedrock-emulator not built";
  UpstreamFixture f;
  ASSERT_TRUE(f.service);
  auto r = call(f.service->port(), "POST", "/test/invoke", "");
  ASSERT_EQ(r.status, 200u) << r.body;
  EXPECT_FALSE(r.json()["text"].get<std::string>().empty());
  EXPECT_EQ(r.json()["model"], kHaiku);
}

// A call made from a handler runs on the handler's own I/O thread's loop, start to finish: no
// hand-off to another thread on the way to Bedrock or back (that is most of one request's
// latency on an idle machine). Checked over enough requests to land on every I/O thread.
TEST(ServerUpstream, HandlerCallsCompleteOnTheHandlersThread) {
  if (!emulator_built()) GTEST_SKIP() << "bedrock-emulator not built";
  UpstreamFixture f;
  ASSERT_TRUE(f.service);
  for (int i = 0; i < 8; ++i) {
    auto r = call(f.service->port(), "POST", "/test/invoke", "");
    ASSERT_EQ(r.status, 200u) << r.body;
    EXPECT_TRUE(r.json()["same_thread"].get<bool>()) << "request " << i;
  }
}

// An upstream refusal (an unknown model) maps through from_error, never to a 500.
TEST(ServerUpstream, UpstreamFailureMapsToItsStatus) {
  if (!emulator_built()) GTEST_SKIP() << "bedrock-emulator not built";
  UpstreamFixture f;
  ASSERT_TRUE(f.service);
  auto r = call(f.service->port(), "POST", "/test/invoke", "no-such.model-v1:0",
                {{"Content-Type", "text/plain"}});
  EXPECT_GE(r.status, 400u);
  EXPECT_LT(r.status, 500u) << r.body;
  EXPECT_FALSE(r.json()["code"].get<std::string>().empty());
}

// A stream written on the connection's executor from upstream callbacks arrives whole.
TEST(ServerUpstream, StreamFromUpstreamCallbacks) {
  if (!emulator_built()) GTEST_SKIP() << "bedrock-emulator not built";
  UpstreamFixture f;
  ASSERT_TRUE(f.service);
  auto r = call(f.service->port(), "POST", "/test/stream", "");
  ASSERT_EQ(r.status, 200u);
  EXPECT_EQ(r.header("content-type"), "text/event-stream");
  EXPECT_NE(r.body.find("data: "), std::string::npos);
  EXPECT_NE(r.body.find("event: done"), std::string::npos) << r.body;
}

// Bedrock still throttling after the client's retries is a 429 with Retry-After.
TEST(ServerUpstream, PersistentThrottlingIs429WithRetryAfter) {
  if (!emulator_built()) GTEST_SKIP() << "bedrock-emulator not built";
  UpstreamFixture f({"--fault", "ThrottlingException=1.0"});
  ASSERT_TRUE(f.service);
  auto r = call(f.service->port(), "POST", "/test/invoke", "", {}, std::chrono::seconds(30));
  EXPECT_EQ(r.status, 429u) << r.body;
  EXPECT_EQ(r.json()["code"], "Throttling");
  EXPECT_EQ(r.header("retry-after"), "1");
}

// An upstream slower than the request's deadline is a 504, well before the upstream answers.
TEST(ServerUpstream, SlowUpstreamPastDeadlineIs504) {
  if (!emulator_built()) GTEST_SKIP() << "bedrock-emulator not built";
  UpstreamFixture f({"--latency-ms", "3000"}, std::chrono::milliseconds(300));
  ASSERT_TRUE(f.service);
  const auto t0 = std::chrono::steady_clock::now();
  auto r = call(f.service->port(), "POST", "/test/invoke", "");
  EXPECT_EQ(r.status, 504u) << r.body;
  EXPECT_LT(std::chrono::steady_clock::now() - t0, std::chrono::milliseconds(2000));
}

}  // namespace
}  // namespace bedrock::server
