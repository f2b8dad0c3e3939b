// Service-wide limits over real sockets: API keys (401, Bearer and x-api-key, open health
// routes), per-key concurrency and requests per minute (429 + Retry-After), the in-flight cap
// (503 + Retry-After), the header read timeout and the keep-alive idle timeout.
#include <gtest/gtest.h>

#include <future>
#include <thread>

#include "integration/net/raw_client.h"
#include "server/api_keys.h"
#include "server_client.h"
#include "test_routes.h"

namespace bedrock::server {
namespace {

using testing::call;
using testing::HeldRequests;
using testing::loopback_options;
using testing::Reply;

constexpr const char* kKey = "test-key-0123456789abcdef";

ApiKey config_key(std::string id, std::string_view secret, int concurrency = 0, int rpm = 0) {
  ApiKey k;
  k.id = std::move(id);
  k.sha256 = sha256(secret);
  k.max_concurrency = concurrency;
  k.requests_per_minute = rpm;
  return k;
}

struct LimitsFixture {
  explicit LimitsFixture(ServiceOptions options) {
    options.extra_routes = [this](Router& r, Service&) {
      held.add_route(r, "/test/hold");
      held.add_route(r, "/v1/test/hold", ErrorStyle::OpenAI);
    };
    service = testing::start_service(std::move(options));
  }
  ~LimitsFixture() {
    held.release();
    if (service) service->stop(std::chrono::milliseconds(0));
  }
  std::uint16_t port() const { return service->port(); }
  // Starts a GET that the hold route keeps; returns once the service holds it.
  std::future<Reply> hold(const testing::Headers& headers = {}) {
    const std::size_t before = held.count();
    auto reply = std::async(std::launch::async, [this, headers] {
      return call(port(), "GET", "/test/hold", {}, headers);
    });
    for (int i = 0; i < 500 && held.count() == before; ++i) {
      std::this_thread::sleep_for(std::chrono::milliseconds(2));
    }
    return reply;
  }
  HeldRequests held;
  std::unique_ptr<Service> service;
};

ServiceOptions with_keys(std::vector<ApiKey> keys) {
  auto o = loopback_options();
  o.server.api_keys = std::move(keys);
  return o;
}

// Without a key, or with a wrong one, a route answers 401 in its style; health stays open.
TEST(ServerKeys, MissingOrWrongKeyIs401) {
  LimitsFixture f(with_keys({config_key("team-a", kKey)}));
  ASSERT_TRUE(f.service);
  auto none = call(f.port(), "GET", "/metrics");
  EXPECT_EQ(none.status, 401u);
  EXPECT_EQ(none.json()["code"], "Unauthorized");
  auto wrong = call(f.port(), "GET", "/metrics", {}, {{"Authorization", "Bearer nope-nope"}});
  EXPECT_EQ(wrong.status, 401u);
  auto openai = call(f.port(), "GET", "/v1/test/hold");
  EXPECT_EQ(openai.status, 401u);
  EXPECT_EQ(openai.json()["error"]["type"], "authentication_error");
  EXPECT_EQ(call(f.port(), "GET", "/healthz").status, 200u);
}

// The right key works as a Bearer token or in x-api-key.
TEST(ServerKeys, BearerAndXApiKeyAccepted) {
  LimitsFixture f(with_keys({config_key("team-a", kKey)}));
  ASSERT_TRUE(f.service);
  EXPECT_EQ(
      call(f.port(), "GET", "/metrics", {}, {{"Authorization", std::string("Bearer ") + kKey}})
          .status,
      200u);
  EXPECT_EQ(call(f.port(), "GET", "/metrics", {}, {{"x-api-key", kKey}}).status, 200u);
}

// With keys, a non-loopback address is allowed.
TEST(ServerKeys, KeysAllowNonLoopbackHost) {
  auto o = with_keys({config_key("team-a", kKey)});
  o.server.host = "0.0.0.0";
  EXPECT_TRUE(Service::create(std::move(o)).has_value());
}

// A key at its concurrency limit gets 429 with Retry-After; another key is unaffected.
TEST(ServerKeys, PerKeyConcurrencyIs429) {
  LimitsFixture f(with_keys(
      {config_key("a", kKey, /*concurrency=*/1), config_key("b", "other-key-0123456789abcdef")}));
  ASSERT_TRUE(f.service);
  auto first = f.hold({{"x-api-key", kKey}});
  ASSERT_EQ(f.held.count(), 1u);
  auto second = call(f.port(), "GET", "/test/hold", {}, {{"x-api-key", kKey}});
  EXPECT_EQ(second.status, 429u);
  EXPECT_EQ(second.json()["code"], "RateLimited");
  EXPECT_FALSE(second.header("retry-after").empty());
  EXPECT_EQ(
      call(f.port(), "GET", "/metrics", {}, {{"x-api-key", "other-key-0123456789abcdef"}}).status,
      200u);
  f.held.release();
  EXPECT_EQ(first.get().status, 200u);
  // The slot came back when the first request completed.
  EXPECT_EQ(call(f.port(), "GET", "/metrics", {}, {{"x-api-key", kKey}}).status, 200u);
}

// A key over its requests per minute gets 429 with the seconds until the next one.
TEST(ServerKeys, RequestsPerMinuteIs429WithRetryAfter) {
  LimitsFixture f(with_keys({config_key("a", kKey, 0, /*rpm=*/2)}));
  ASSERT_TRUE(f.service);
  EXPECT_EQ(call(f.port(), "GET", "/metrics", {}, {{"x-api-key", kKey}}).status, 200u);
  EXPECT_EQ(call(f.port(), "GET", "/metrics", {}, {{"x-api-key", kKey}}).status, 200u);
  auto third = call(f.port(), "GET", "/metrics", {}, {{"x-api-key", kKey}});
  EXPECT_EQ(third.status, 429u);
  const int retry = std::stoi(third.header("retry-after"));
  EXPECT_GE(retry, 29);
  EXPECT_LE(retry, 30);
}

// At the in-flight cap a request gets 503 with Retry-After; health checks still answer.
TEST(ServerLimits, InFlightCapIs503WithRetryAfter) {
  auto o = loopback_options();
  o.server.max_in_flight = 1;
  o.server.retry_after = std::chrono::seconds(3);
  LimitsFixture f(std::move(o));
  ASSERT_TRUE(f.service);
  auto first = f.hold();
  ASSERT_EQ(f.held.count(), 1u);
  auto second = call(f.port(), "GET", "/metrics");
  EXPECT_EQ(second.status, 503u);
  EXPECT_EQ(second.json()["code"], "Overloaded");
  EXPECT_EQ(second.header("retry-after"), "3");
  EXPECT_EQ(call(f.port(), "GET", "/healthz").status, 200u);
  f.held.release();
  EXPECT_EQ(first.get().status, 200u);
  EXPECT_EQ(call(f.port(), "GET", "/metrics").status, 200u);
}

// A client that starts a request head and stalls is closed after the header timeout.
TEST(ServerLimits, SlowHeadIsClosedAfterHeaderTimeout) {
  auto o = loopback_options();
  o.server.header_timeout = std::chrono::milliseconds(200);
  LimitsFixture f(std::move(o));
  ASSERT_TRUE(f.service);
  net::testing::RawClient client(f.port());
  client.send("GET /healthz HTTP/1.1\r\nHost: x\r\n");
  const auto t0 = std::chrono::steady_clock::now();
  client.read_until([](const std::string&) { return false; }, std::chrono::seconds(5));
  EXPECT_TRUE(client.peer_closed());
  EXPECT_LT(std::chrono::steady_clock::now() - t0, std::chrono::seconds(2));
}

// A keep-alive connection with nothing to send is closed after the idle timeout.
TEST(ServerLimits, IdleKeepAliveIsClosedAfterIdleTimeout) {
  auto o = loopback_options();
  o.server.idle_timeout = std::chrono::milliseconds(200);
  LimitsFixture f(std::move(o));
  ASSERT_TRUE(f.service);
  net::testing::RawClient client(f.port());
  client.send(testing::request_bytes("GET", "/healthz"));
  client.read_until([](const std::string& s) { return testing::parse_reply(s).has_value(); },
                    std::chrono::seconds(5));
  ASSERT_TRUE(testing::parse_reply(client.received()).has_value());
  EXPECT_FALSE(client.peer_closed());
  const auto t0 = std::chrono::steady_clock::now();
  client.read_until([](const std::string&) { return false; }, std::chrono::seconds(5));
  EXPECT_TRUE(client.peer_closed());
  EXPECT_LT(std::chrono::steady_clock::now() - t0, std::chrono::seconds(2));
}

}  // namespace
}  // namespace bedrock::server
