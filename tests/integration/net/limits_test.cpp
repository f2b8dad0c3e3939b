// Request limits over real sockets: a body over the limit is refused before it is read, slow
// heads and idle keep-alive connections are closed, oversized heads refused, and accepting
// pauses at the connection cap.
#include <gtest/gtest.h>

#include <atomic>
#include <nlohmann/json.hpp>

#include "raw_client.h"
#include "test_server.h"

namespace bedrock::net::testing {
namespace {

using namespace std::chrono_literals;

Handler echo(std::atomic<int>& calls) {
  return [&calls](HttpRequest& request, Responder responder) {
    ++calls;
    responder.send(text_response(std::string(request.target())));
  };
}

TEST(NetLimits, BodyOverTheLimitIs413BeforeTheBodyIsRead) {
  // Content-Length 1000 over a 100-byte limit: 413 JSON at once, without sending the body,
  // and the handler never runs; the connection is closed after.
  ServerOptions options;
  options.max_body_bytes = 100;
  std::atomic<int> calls{0};
  auto running = serve(options, echo(calls));
  RawClient client(running.port);
  client.send("POST /big HTTP/1.1\r\nHost: t\r\nContent-Length: 1000\r\n\r\n");
  client.read_until(one_response, 5s);
  const auto parsed = parse_response(client.received());
  ASSERT_TRUE(parsed);
  EXPECT_EQ(parsed->status, 413u);
  EXPECT_EQ(nlohmann::json::parse(parsed->body)["code"], "BodyTooLarge");
  EXPECT_FALSE(parsed->keep_alive);
  client.read_until([](const std::string&) { return false; }, 2s);
  EXPECT_TRUE(client.peer_closed());
  EXPECT_EQ(calls.load(), 0);
}

TEST(NetLimits, HeadOverTheLimitIs431) {
  // A header block past max_header_bytes is refused with 431.
  ServerOptions options;
  options.max_header_bytes = 1024;
  std::atomic<int> calls{0};
  auto running = serve(options, echo(calls));
  RawClient client(running.port);
  client.send("GET / HTTP/1.1\r\nHost: t\r\nX-Big: " + std::string(4000, 'a') + "\r\n\r\n");
  client.read_until(one_response, 5s);
  const auto parsed = parse_response(client.received());
  ASSERT_TRUE(parsed);
  EXPECT_EQ(parsed->status, 431u);
  EXPECT_EQ(calls.load(), 0);
}

TEST(NetLimits, SlowHeadIsClosedByTheHeaderTimeout) {
  // Part of a head, then nothing: closed after header_timeout (300 ms), long before the
  // idle limit (30 s).
  ServerOptions options;
  options.header_timeout = 300ms;
  options.idle_timeout = 30s;
  std::atomic<int> calls{0};
  auto running = serve(options, echo(calls));
  RawClient client(running.port);
  const auto started = std::chrono::steady_clock::now();
  client.send("GET / HTTP/1.1\r\nHo");
  client.read_until([](const std::string&) { return false; }, 5s);
  const auto elapsed = std::chrono::steady_clock::now() - started;
  EXPECT_TRUE(client.peer_closed());
  EXPECT_GE(elapsed, 250ms);
  EXPECT_LT(elapsed, 3s);
  EXPECT_EQ(calls.load(), 0);
}

TEST(NetLimits, SilentConnectionGetsTheIdleLimitNotTheHeaderLimit) {
  // A connection that has sent nothing is idle: it outlives header_timeout and is closed at
  // idle_timeout.
  ServerOptions options;
  options.header_timeout = 100ms;
  options.idle_timeout = 600ms;
  std::atomic<int> calls{0};
  auto running = serve(options, echo(calls));
  RawClient client(running.port);
  const auto started = std::chrono::steady_clock::now();
  client.read_until([](const std::string&) { return false; }, 5s);
  const auto elapsed = std::chrono::steady_clock::now() - started;
  EXPECT_TRUE(client.peer_closed());
  EXPECT_GE(elapsed, 500ms);
  EXPECT_LT(elapsed, 4s);
}

TEST(NetLimits, IdleKeepAliveConnectionIsClosed) {
  // One request answered with keep-alive, then silence: the server closes it after
  // idle_timeout.
  ServerOptions options;
  options.idle_timeout = 300ms;
  std::atomic<int> calls{0};
  auto running = serve(options, echo(calls));
  RawClient client(running.port);
  client.send(request("GET", "/one"));
  client.read_until(one_response, 5s);
  ASSERT_TRUE(parse_response(client.received()));
  const auto answered = std::chrono::steady_clock::now();
  client.read_until([](const std::string&) { return false; }, 5s);
  EXPECT_TRUE(client.peer_closed());
  EXPECT_GE(std::chrono::steady_clock::now() - answered, 200ms);
  EXPECT_EQ(calls.load(), 1);
}

TEST(NetLimits, AcceptingPausesAtTheConnectionCap) {
  // Cap 2: a third connection is not served until one of the first two closes.
  std::atomic<int> calls{0};
  auto running = serve({}, echo(calls), 2);
  RawClient a(running.port);
  RawClient b(running.port);
  a.send(request("GET", "/a"));
  b.send(request("GET", "/b"));
  a.read_until(one_response, 5s);
  b.read_until(one_response, 5s);
  ASSERT_TRUE(parse_response(a.received()));
  ASSERT_TRUE(parse_response(b.received()));
  EXPECT_EQ(running.server->open_connections(), 2u);
  RawClient c(running.port);  // completes in the kernel's backlog
  c.send(request("GET", "/c"));
  c.read_until(one_response, 400ms);
  EXPECT_FALSE(parse_response(c.received()));
  a.close();
  c.read_until(one_response, 5s);
  const auto parsed = parse_response(c.received());
  ASSERT_TRUE(parsed);
  EXPECT_EQ(parsed->body, "/c");
}

}  // namespace
}  // namespace bedrock::net::testing
