// What only the asynchronous client has: cancellation through the handle at every stage,
// the coroutine form, credentials from the cache without the helper thread, configuration.
#include "bedrock/runtime/async_client.h"

#include <gtest/gtest.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>

#include "client_test_support.h"
#include "stream_test_support.h"

namespace bedrock::runtime {
namespace {

using namespace testing_support;
using std::chrono::milliseconds;

InvokeRequest haiku(bool converse = false) {
  InvokeRequest r;
  r.model_id = kHaiku;
  r.prompt = models::Prompt::from_user("hi");
  r.use_converse = converse;
  return r;
}

// Cancelling while credentials are being fetched ends the call before anything is sent.
TEST(AsyncClient, CancelWhileFetchingCredentials) {
  Harness h(0.5, config::RetryMode::Standard, std::nullopt, Driver::Async);
  auto r = h.run_async(
      [&](AsyncBedrockClient::Done done) { return h.async_client->invoke(haiku(), done); },
      [](const CallHandle& handle) { handle.cancel(); });
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().code, ErrorCode::Cancelled);
  EXPECT_EQ(h.async_transport->started(), 0);
}

// Cancelling while the request is in flight aborts the exchange: Cancelled, no retry.
TEST(AsyncClient, CancelDuringSend) {
  // A bearer token: no credentials to fetch, so the send starts in the first loop turn.
  Harness h(0.5, config::RetryMode::Standard, std::string("key"), Driver::Async);
  h.async_transport->push_stall();
  auto r = h.run_async(
      [&](AsyncBedrockClient::Done done) { return h.async_client->invoke(haiku(), done); },
      [](const CallHandle& handle) { handle.cancel(); });
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().code, ErrorCode::Cancelled);
  EXPECT_EQ(h.async_transport->started(), 1);
  ASSERT_EQ(h.sink->records.size(), 1u);
  EXPECT_EQ(h.sink->records[0].error_code, "Cancelled");
}

// Cancelling during the backoff ends the call without another attempt or any waiting.
TEST(AsyncClient, CancelDuringBackoff) {
  Harness h(0.5, config::RetryMode::Standard, std::nullopt, Driver::Async);
  h.transport->push_handler([&](const http::Request&, const http::CallOptions&) {
    h.handle.cancel();  // lands while the call backs off after this throttle
    return Result<http::Response>(http::Response{429, error_headers("ThrottlingException"), "{}"});
  });
  auto r = h.invoke(haiku());
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().code, ErrorCode::Cancelled);
  EXPECT_NE(r.error().message.find("Throttling"), std::string::npos) << r.error().message;
  EXPECT_EQ(h.transport->calls(), 1u);
  EXPECT_EQ(h.elapsed(), milliseconds(0));
}

// Cancelling mid-stream stops the stream where it is: Cancelled with the text delivered so far.
TEST(AsyncClient, CancelMidStream) {
  Harness h(0.5, config::RetryMode::Standard, std::nullopt, Driver::Async);
  const std::string bytes = converse_hello();
  std::vector<std::string> pieces;
  for (std::size_t at = 0; at < bytes.size(); at += 16) pieces.push_back(bytes.substr(at, 16));
  h.async_transport->push_stream(200, {}, pieces);
  std::vector<std::string> texts;
  StreamCallback on_event = [&](const models::StreamEvent& e) {
    if (const auto* t = std::get_if<models::TextDelta>(&e)) {
      texts.push_back(t->text);
      h.handle.cancel();
    }
  };
  auto r = h.invoke_stream(haiku(true), on_event);
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().code, ErrorCode::Cancelled);
  EXPECT_EQ(r.error().partial_output, "Hel");
  EXPECT_EQ(texts, (std::vector<std::string>{"Hel"}));
  EXPECT_EQ(h.async_transport->started(), 1);
}

#if defined(BOOST_ASIO_HAS_CO_AWAIT)
// The coroutine form returns what the handler form would.
TEST(AsyncClient, CoroutineInvoke) {
  Harness h(0.5, config::RetryMode::Standard, std::nullopt, Driver::Async);
  h.transport->push_response(429, "{}", error_headers("ThrottlingException"));
  h.transport->push_response(200, anthropic_body("from a coroutine"));
  std::optional<Result<InvokeResult>> out;
  boost::asio::co_spawn(
      h.io,
      [&]() -> boost::asio::awaitable<void> {
        out = co_await h.async_client->async_invoke(haiku());
      },
      boost::asio::detached);
  h.io.restart();
  h.io.run_for(std::chrono::seconds(20));
  ASSERT_TRUE(out.has_value());
  ASSERT_TRUE(out->has_value()) << describe(out->error());
  EXPECT_EQ((*out)->completion.text, "from a coroutine");
  EXPECT_EQ((*out)->record.attempts, 2);
  EXPECT_EQ(h.elapsed(), milliseconds(500));
}
#endif

// Many calls in flight on one thread share one client; each gets its own answer.
TEST(AsyncClient, ManyCallsOnOneThread) {
  Harness h(0.0, config::RetryMode::Standard, std::nullopt, Driver::Async);
  h.transport->set_default([](const http::Request&, const http::CallOptions&) {
    return Result<http::Response>(http::Response{200, {}, anthropic_body("x")});
  });
  int ok = 0;
  auto guard = boost::asio::make_work_guard(h.io);
  constexpr int kCalls = 200;
  for (int i = 0; i < kCalls; ++i) {
    h.async_client->invoke(haiku(), [&](Result<InvokeResult> r) {
      if (r && r->completion.text == "x") ++ok;
      if (h.sink->records.size() == static_cast<std::size_t>(kCalls)) guard.reset();
    });
  }
  h.io.run_for(std::chrono::seconds(20));
  EXPECT_EQ(ok, kCalls);
  EXPECT_EQ(h.transport->calls(), static_cast<std::size_t>(kCalls));
}

// On the loop's own thread a call goes out before invoke() returns (a server handler saves a
// trip through the loop's queue); from any other thread it waits for the loop. Either way Done
// runs later, from the loop.
TEST(AsyncClient, ACallStartedOnTheLoopThreadIsSentBeforeInvokeReturns) {
  Harness h(0.0, config::RetryMode::Standard, std::string("key"), Driver::Async);
  h.transport->set_default([](const http::Request&, const http::CallOptions&) {
    return Result<http::Response>(http::Response{200, {}, anthropic_body("x")});
  });
  int done = 0;
  h.async_client->invoke(haiku(), [&](Result<InvokeResult> r) { done += r.has_value() ? 1 : 100; });
  EXPECT_EQ(h.async_transport->started(), 0);  // not on the loop's thread: posted

  int started_inside = -1;
  int done_inside = -1;
  boost::asio::post(h.io, [&] {
    h.async_client->invoke(haiku(),
                           [&](Result<InvokeResult> r) { done += r.has_value() ? 1 : 100; });
    started_inside = h.async_transport->started();
    done_inside = done;
  });
  h.io.run_for(std::chrono::seconds(20));
  EXPECT_EQ(started_inside, 2);  // the posted call went first, then this one at once
  EXPECT_EQ(done_inside, 0);
  EXPECT_EQ(done, 2);
}

// A call that ends before it sends anything (here: a model id that is not valid) still never
// runs its Done inside invoke(), even when invoked on the loop's thread.
TEST(AsyncClient, ACallEndingInsideInvokeOnTheLoopThreadCompletesLater) {
  Harness h(0.0, config::RetryMode::Standard, std::string("key"), Driver::Async);
  std::optional<Result<InvokeResult>> out;
  bool done_inside = true;
  boost::asio::post(h.io, [&] {
    InvokeRequest bad = haiku();
    bad.model_id = "";
    h.async_client->invoke(bad, [&](Result<InvokeResult> r) { out = std::move(r); });
    done_inside = out.has_value();
  });
  h.io.run_for(std::chrono::seconds(20));
  EXPECT_FALSE(done_inside);
  ASSERT_TRUE(out.has_value());
  ASSERT_FALSE(out->has_value());
  EXPECT_EQ(out->error().code, ErrorCode::Validation) << describe(out->error());
  EXPECT_EQ(h.async_transport->started(), 0);
}

class CachedCredentials final : public credentials::CredentialsProvider {
 public:
  Result<auth::Credentials> get() override {
    ++blocking_calls;
    return fail(ErrorCode::Unknown, "get() must not be needed");
  }
  std::optional<auth::Credentials> cached() override {
    auth::Credentials c;
    c.access_key_id = "AKIDCACHED";
    c.secret_access_key = "secret";
    return c;
  }
  std::string_view name() const override { return "cached"; }
  std::atomic<int> blocking_calls{0};
};

// Credentials in the provider's cache are used on the loop; the helper thread is not asked.
TEST(AsyncClient, CachedCredentialsSignWithoutBlocking) {
  boost::asio::io_context io;
  FakeClock clock;
  auto transport = std::make_shared<bedrock::testing::FakeTransport>();
  transport->push_response(200, anthropic_body());
  auto creds = std::make_shared<CachedCredentials>();
  ClientOptions o;
  o.region = "us-east-1";
  o.clock = &clock;
  o.credentials = creds;
  o.async_transport = std::make_shared<bedrock::testing::FakeAsyncTransport>(io, transport);
  auto client = AsyncBedrockClient::create(io, std::move(o));
  ASSERT_TRUE(client.has_value()) << describe(client.error());
  std::optional<Result<InvokeResult>> out;
  (*client)->invoke(haiku(), [&](Result<InvokeResult> r) { out = std::move(r); });
  io.run_for(std::chrono::seconds(20));
  ASSERT_TRUE(out.has_value());
  ASSERT_TRUE(out->has_value()) << describe(out->error());
  EXPECT_EQ(creds->blocking_calls, 0);
  auto auth = header(transport->requests().at(0), "Authorization");
  ASSERT_TRUE(auth);
  EXPECT_NE(auth->find("Credential=AKIDCACHED/"), std::string::npos);
}

// Without an injected transport the client builds the curl engine on the caller's io_context: a
// call to a port nobody listens on fails as a real connection failure, on the loop.
TEST(AsyncClient, BuildsTheCurlEngineWhenNoTransportIsGiven) {
  boost::asio::io_context io;
  ClientOptions o;
  o.region = "us-east-1";
  o.endpoint_url = "http://127.0.0.1:1";
  o.bearer_token = "k";
  o.max_attempts = 1;
  auto client = AsyncBedrockClient::create(io, std::move(o));
  ASSERT_TRUE(client.has_value()) << describe(client.error());
  InvokeRequest req;
  req.model_id = "anthropic.claude-3-haiku-20240307-v1:0";
  req.prompt = models::Prompt::from_user("hi");
  req.timeout = std::chrono::seconds(5);
  std::optional<Result<InvokeResult>> out;
  (*client)->invoke(req, [&](Result<InvokeResult> r) { out = std::move(r); });
  io.run_for(std::chrono::seconds(10));
  ASSERT_TRUE(out.has_value());
  ASSERT_FALSE(out->has_value());
  EXPECT_EQ(out->error().code, ErrorCode::ConnectionFailed) << describe(out->error());
}

}  // namespace
}  // namespace bedrock::runtime
