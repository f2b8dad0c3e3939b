// Drain: stop() stops accepting, waits for an in-flight stream to finish, and closes what is
// still open after the grace period (its stream sees on_cancel).
#include <gtest/gtest.h>

#include <atomic>
#include <future>
#include <memory>
#include <thread>

#include "raw_client.h"
#include "test_server.h"

namespace bedrock::net::testing {
namespace {

using namespace std::chrono_literals;

struct SlowTicker : std::enable_shared_from_this<SlowTicker> {
  ChunkedStream stream;
  int count = 0;
  int sent = 0;
  void tick() {
    if (sent == count) return stream.finish();
    stream.write("tick");
    ++sent;
    stream.after(50ms, [self = shared_from_this()] { self->tick(); });
  }
};

TEST(NetDrain, WaitsForAnInFlightStreamThenStops) {
  // A 10-tick stream (about 500 ms) is under way when stop(5 s) starts: the client gets the
  // whole stream, stop() returns after it, and new connections are no longer served.
  auto ticker = std::make_shared<SlowTicker>();
  ticker->count = 10;
  auto running = serve({}, [ticker](HttpRequest&, Responder responder) {
    ticker->stream = responder.stream(text_response(""));
    ticker->tick();
  });
  RawClient client(running.port);
  client.send(request("GET", "/stream"));
  client.read_until([](const std::string& b) { return b.find("tick") != std::string::npos; }, 5s);
  const auto stop_started = std::chrono::steady_clock::now();
  auto stopping = std::async(std::launch::async, [&] { running.server->stop(5s); });
  client.read_until([](const std::string& b) { return parse_response(b).has_value(); }, 5s);
  const auto parsed = parse_response(client.received());
  ASSERT_TRUE(parsed);
  std::string expected;
  for (int i = 0; i < 10; ++i) expected += "tick";
  EXPECT_EQ(parsed->body, expected);
  // Draining: the connection ends with the stream (its head promised keep-alive before).
  client.read_until([](const std::string&) { return false; }, 2s);
  EXPECT_TRUE(client.peer_closed());
  ASSERT_EQ(stopping.wait_for(5s), std::future_status::ready);
  EXPECT_GE(std::chrono::steady_clock::now() - stop_started, 300ms);
  EXPECT_EQ(running.server->in_flight(), 0u);
  RawClient late(running.port);
  late.send(request("GET", "/late"));
  late.read_until([](const std::string& b) { return parse_response(b).has_value(); }, 300ms);
  EXPECT_FALSE(parse_response(late.received()));
  ticker->stream = ChunkedStream();
}

TEST(NetDrain, ClosesAStreamThatOutlivesTheGraceAndCancelsIt) {
  // A stream that never ends: stop(200 ms) returns soon after the grace, and the stream's
  // on_cancel runs.
  auto cancelled = std::make_shared<std::promise<void>>();
  auto holder = std::make_shared<ChunkedStream>();
  auto running = serve({}, [cancelled, holder](HttpRequest&, Responder responder) {
    *holder = responder.stream(text_response(""));
    holder->on_cancel([cancelled] { cancelled->set_value(); });
    holder->write("forever");
  });
  RawClient client(running.port);
  client.send(request("GET", "/stream"));
  client.read_until([](const std::string& b) { return b.find("forever") != std::string::npos; },
                    5s);
  const auto started = std::chrono::steady_clock::now();
  running.server->stop(200ms);
  const auto elapsed = std::chrono::steady_clock::now() - started;
  EXPECT_GE(elapsed, 150ms);
  EXPECT_LT(elapsed, 3s);
  EXPECT_EQ(cancelled->get_future().wait_for(1s), std::future_status::ready);
  client.read_until([](const std::string&) { return false; }, 2s);
  EXPECT_TRUE(client.peer_closed());
  *holder = ChunkedStream();
}

}  // namespace
}  // namespace bedrock::net::testing
