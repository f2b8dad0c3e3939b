// Responder::on_cancel: a handler still working learns that its client left (or that the
// server stopped), and never hears of it once it has answered; the read that watches for it
// keeps a pipelining client's next request.
#include <gtest/gtest.h>

#include <atomic>
#include <future>
#include <mutex>
#include <thread>
#include <vector>

#include "raw_client.h"
#include "test_server.h"

namespace bedrock::net::testing {
namespace {

using namespace std::chrono_literals;

// Keeps the responders of requests the test answers itself (or never answers).
struct Parked {
  std::mutex mu;
  std::vector<Responder> responders;
  void park(Responder r) {
    std::lock_guard lock(mu);
    responders.push_back(std::move(r));
  }
};

TEST(NetCancel, ClientLeavingWhileTheHandlerWorksRunsOnCancel) {
  // The handler never answers; the client sends its request and closes the connection.
  Parked parked;
  std::promise<void> cancelled;
  auto running = serve({}, [&](HttpRequest&, Responder responder) {
    responder.on_cancel([&] { cancelled.set_value(); });
    parked.park(std::move(responder));
  });
  {
    RawClient client(running.port);
    client.send(request("GET", "/slow"));
    std::this_thread::sleep_for(50ms);
  }
  EXPECT_EQ(cancelled.get_future().wait_for(5s), std::future_status::ready);
  EXPECT_EQ(running.server->in_flight(), 0u);
  running.server->stop(1s);
  parked.responders.clear();  // before the server goes: a responder may not outlive it
}

TEST(NetCancel, AnsweredRequestNeverHearsOfTheClientLeaving) {
  // on_cancel, then an answer at once; two requests in a row on one connection, then the
  // client closes: both are answered and the callback never runs.
  std::atomic<int> cancels{0};
  auto running = serve({}, [&](HttpRequest& request, Responder responder) {
    responder.on_cancel([&] { ++cancels; });
    responder.send(text_response(std::string(request.target())));
  });
  {
    RawClient client(running.port);
    client.send(request("GET", "/one"));
    client.read_until([](const std::string& b) { return has_responses(b, 1); }, 5s);
    client.send(request("GET", "/two"));
    client.read_until([](const std::string& b) { return has_responses(b, 2); }, 5s);
    std::string_view rest = client.received();
    auto first = parse_response(rest);
    ASSERT_TRUE(first);
    EXPECT_EQ(first->body, "/one");
    rest.remove_prefix(first->consumed);
    auto second = parse_response(rest);
    ASSERT_TRUE(second);
    EXPECT_EQ(second->body, "/two");
  }
  std::this_thread::sleep_for(100ms);
  running.server->stop(1s);
  EXPECT_EQ(cancels.load(), 0);
}

TEST(NetCancel, WatchingKeepsAPipelinedRequest) {
  // /slow is answered 100 ms later from a timer while its cancel watch reads the socket; the
  // pipelined /fast behind it must still be read and answered, in order.
  std::atomic<int> cancels{0};
  auto running = serve({}, [&](HttpRequest& request, Responder responder) {
    responder.on_cancel([&] { ++cancels; });
    if (request.target() == "/slow") {
      responder.after(100ms, [](Responder r) { r.send(text_response("slow")); });
    } else {
      responder.send(text_response("fast"));
    }
  });
  RawClient client(running.port);
  client.send(request("GET", "/slow") + request("GET", "/fast"));
  client.read_until([](const std::string& b) { return has_responses(b, 2); }, 5s);
  std::string_view rest = client.received();
  auto first = parse_response(rest);
  ASSERT_TRUE(first);
  EXPECT_EQ(first->body, "slow");
  rest.remove_prefix(first->consumed);
  auto second = parse_response(rest);
  ASSERT_TRUE(second);
  EXPECT_EQ(second->body, "fast");
  EXPECT_EQ(cancels.load(), 0);
  running.server->stop(1s);
}

TEST(NetCancel, StopCancelsHandlersStillWorking) {
  // Drain closes a connection whose handler outlived the grace period: its callback runs.
  Parked parked;
  std::promise<void> cancelled;
  std::promise<void> handled;
  auto running = serve({}, [&](HttpRequest&, Responder responder) {
    responder.on_cancel([&] { cancelled.set_value(); });
    parked.park(std::move(responder));
    handled.set_value();
  });
  RawClient client(running.port);
  client.send(request("GET", "/forever"));
  ASSERT_EQ(handled.get_future().wait_for(5s), std::future_status::ready);
  running.server->stop(100ms);
  EXPECT_EQ(cancelled.get_future().wait_for(5s), std::future_status::ready);
  parked.responders.clear();
}

TEST(NetCancel, CallbackRegisteredFromAnotherThread) {
  // on_cancel may be called off the I/O thread, like send().
  std::promise<void> cancelled;
  std::promise<Responder> handed;
  auto running =
      serve({}, [&](HttpRequest&, Responder responder) { handed.set_value(std::move(responder)); });
  RawClient client(running.port);
  client.send(request("GET", "/"));
  auto future = handed.get_future();
  ASSERT_EQ(future.wait_for(5s), std::future_status::ready);
  Responder responder = future.get();
  responder.on_cancel([&] { cancelled.set_value(); });
  std::this_thread::sleep_for(50ms);
  client.close();
  EXPECT_EQ(cancelled.get_future().wait_for(5s), std::future_status::ready);
  running.server->stop(1s);
}

}  // namespace
}  // namespace bedrock::net::testing
