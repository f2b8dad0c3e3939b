// The service's skeleton over real loopback sockets: request ids, health routes, 404/405, the
// body limit, JSON body refusals, handlers that throw or drop their scope, the deadline, and
// the loopback-only rule without API keys.
#include <gtest/gtest.h>

#include <atomic>
#include <mutex>
#include <thread>

#include "server/json_body.h"
#include "server/request_scope.h"
#include "server_client.h"

namespace bedrock::server {
namespace {

using testing::call;
using testing::loopback_options;
using testing::start_service;

// Routes a test adds: echo a JSON body, throw, drop the scope, hold the scope past the deadline.
struct TestRoutes {
  std::mutex mutex;
  std::vector<ScopePtr> held;
  std::atomic<int> deadline_hooks{0};

  void add(Router& router) {
    router.add({"POST", "/test/echo", "test.echo", ErrorStyle::Content,
                [](const ScopePtr& scope, net::HttpRequest& request) {
                  auto body = parse_json_body(request);
                  if (!body) return (void)scope->send_error(body.error());
                  scope->send_json(200, {{"echo", *body}, {"route", scope->route()}});
                }});
    router.add({"GET", "/test/throw", "test.throw", ErrorStyle::Content,
                [](const ScopePtr&, net::HttpRequest&) { throw std::runtime_error("boom"); }});
    router.add({"GET", "/test/drop", "test.drop", ErrorStyle::Content,
                [](const ScopePtr&, net::HttpRequest&) {}});
    router.add({"GET", "/v1/test/hold", "test.hold", ErrorStyle::OpenAI,
                [this](const ScopePtr& scope, net::HttpRequest&) {
                  scope->on_deadline([this] { ++deadline_hooks; });
                  std::lock_guard lock(mutex);
                  held.push_back(scope);
                }});
  }
};

struct Fixture {
  explicit Fixture(ServiceOptions options = loopback_options()) {
    options.extra_routes = [this](Router& r, Service&) { routes.add(r); };
    service = start_service(std::move(options));
  }
  ~Fixture() {
    if (service) service->stop(std::chrono::milliseconds(0));
    std::lock_guard lock(routes.mutex);
    routes.held.clear();
  }
  std::uint16_t port() const { return service->port(); }
  TestRoutes routes;
  std::unique_ptr<Service> service;
};

// /healthz answers 200 with a fresh request id in x-request-id.
TEST(ServerSkeleton, HealthzAnswersWithRequestId) {
  Fixture f;
  ASSERT_TRUE(f.service);
  auto r = call(f.port(), "GET", "/healthz");
  EXPECT_EQ(r.status, 200u);
  EXPECT_EQ(r.json()["status"], "ok");
  EXPECT_EQ(r.header("x-request-id").size(), 16u);
}

// A caller's x-request-id is kept; a hostile one is replaced.
TEST(ServerSkeleton, OfferedRequestIdIsEchoedWhenSafe) {
  Fixture f;
  ASSERT_TRUE(f.service);
  EXPECT_EQ(
      call(f.port(), "GET", "/healthz", {}, {{"x-request-id", "trace-42"}}).header("x-request-id"),
      "trace-42");
  auto hostile = call(f.port(), "GET", "/healthz", {}, {{"x-request-id", "a\"b"}});
  EXPECT_EQ(hostile.header("x-request-id").size(), 16u);
}

// /readyz is 200 once the (static) upstream credentials resolved.
TEST(ServerSkeleton, ReadyzOnceCredentialsResolve) {
  Fixture f;
  ASSERT_TRUE(f.service);
  unsigned status = 0;
  for (int i = 0; i < 100 && status != 200; ++i) {
    status = call(f.port(), "GET", "/readyz").status;
    if (status != 200) std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  EXPECT_EQ(status, 200u);
  EXPECT_TRUE(f.service->ready());
}

// An unknown path is a 404 in our shape; under /v1/ in OpenAI's; the id matches the header.
TEST(ServerSkeleton, UnknownPathIs404InTheRouteStyle) {
  Fixture f;
  ASSERT_TRUE(f.service);
  auto ours = call(f.port(), "GET", "/nope");
  EXPECT_EQ(ours.status, 404u);
  EXPECT_EQ(ours.json()["code"], "NotFound");
  EXPECT_EQ(ours.json()["request_id"], ours.header("x-request-id"));
  auto openai = call(f.port(), "POST", "/v1/nope", "{}");
  EXPECT_EQ(openai.status, 404u);
  EXPECT_EQ(openai.json()["error"]["type"], "not_found_error");
}

// A known path with the wrong method is a 405 with Allow.
TEST(ServerSkeleton, WrongMethodIs405WithAllow) {
  Fixture f;
  ASSERT_TRUE(f.service);
  auto r = call(f.port(), "POST", "/healthz", "{}");
  EXPECT_EQ(r.status, 405u);
  EXPECT_EQ(r.header("allow"), "GET");
  EXPECT_EQ(r.json()["code"], "MethodNotAllowed");
}

// A body over the limit is refused with 413 before the handler sees it.
TEST(ServerSkeleton, BodyOverLimitIs413) {
  auto options = loopback_options();
  options.server.max_body_bytes = 1000;
  Fixture f(std::move(options));
  ASSERT_TRUE(f.service);
  auto r = call(f.port(), "POST", "/test/echo", std::string(2000, ' '));
  EXPECT_EQ(r.status, 413u);
  EXPECT_EQ(r.json()["code"], "PayloadTooLarge");
}

// JSON bodies: echoed when valid; 415 for another type or not JSON; 400 for deep nesting.
TEST(ServerSkeleton, JsonBodyRefusalsAre415And400) {
  Fixture f;
  ASSERT_TRUE(f.service);
  auto ok = call(f.port(), "POST", "/test/echo", R"({"a":[1,2]})");
  EXPECT_EQ(ok.status, 200u);
  EXPECT_EQ(ok.json()["echo"]["a"][1], 2);
  EXPECT_EQ(ok.json()["route"], "test.echo");
  EXPECT_EQ(call(f.port(), "POST", "/test/echo", "a=b", {{"Content-Type", "text/plain"}}).status,
            415u);
  EXPECT_EQ(call(f.port(), "POST", "/test/echo", "{not json").status, 415u);
  auto deep = call(f.port(), "POST", "/test/echo", std::string(5000, '['));
  EXPECT_EQ(deep.status, 400u);
  EXPECT_EQ(deep.json()["field"], "body");
}

// A handler that throws, or drops its scope unanswered, gets a 500 with a request id; the
// service keeps serving.
TEST(ServerSkeleton, HandlerBugsAre500AndServiceSurvives) {
  Fixture f;
  ASSERT_TRUE(f.service);
  auto thrown = call(f.port(), "GET", "/test/throw");
  EXPECT_EQ(thrown.status, 500u);
  EXPECT_EQ(thrown.json()["code"], "InternalServer");
  auto dropped = call(f.port(), "GET", "/test/drop");
  EXPECT_EQ(dropped.status, 500u);
  EXPECT_FALSE(dropped.header("x-request-id").empty());
  EXPECT_EQ(call(f.port(), "GET", "/healthz").status, 200u);
}

// A request still unanswered at its deadline gets a 504 in the route's style, and the
// route's deadline hooks run (to cancel upstream calls).
TEST(ServerSkeleton, DeadlineSends504AndRunsHooks) {
  auto options = loopback_options();
  options.server.request_timeout = std::chrono::milliseconds(200);
  Fixture f(std::move(options));
  ASSERT_TRUE(f.service);
  const auto t0 = std::chrono::steady_clock::now();
  auto r = call(f.port(), "GET", "/v1/test/hold");
  EXPECT_EQ(r.status, 504u);
  EXPECT_EQ(r.json()["error"]["code"], "DeadlineExceeded");
  EXPECT_GE(std::chrono::steady_clock::now() - t0, std::chrono::milliseconds(190));
  for (int i = 0; i < 100 && f.routes.deadline_hooks.load() == 0; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  EXPECT_EQ(f.routes.deadline_hooks.load(), 1);
}

// Without API keys the service refuses a non-loopback address.
TEST(ServerSkeleton, NoKeysRefusesNonLoopbackHost) {
  auto options = loopback_options();
  options.server.host = "0.0.0.0";
  auto created = Service::create(std::move(options));
  ASSERT_FALSE(created.has_value());
  EXPECT_EQ(created.error().code, ErrorCode::ConfigurationInvalid);
  EXPECT_NE(created.error().message.find("loopback"), std::string::npos);
}

}  // namespace
}  // namespace bedrock::server
