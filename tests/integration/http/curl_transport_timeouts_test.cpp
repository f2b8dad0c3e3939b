// CurlTransport time limits against the loopback server: deadline, read timeout, connect
// timeout and cancellation, each with bounds on how long the call took.
#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <string>
#include <thread>

#include "bedrock/http/curl_transport.h"
#include "fakes/full_backlog_listener.h"
#include "fakes/loopback_server.h"
#include "json_post.h"

namespace bedrock::http {
namespace {

using namespace std::chrono_literals;
using testing::FullBacklogListener;
using testing::LoopbackRequest;
using testing::LoopbackResponse;
using testing::LoopbackServer;
using Ms = std::chrono::milliseconds;

TEST(CurlTransport, NeverAnsweringServerHitsTheDeadline) {
  // A 300 ms deadline against a stalled server returns DeadlineExceeded in 300-800 ms.
  LoopbackServer server([](const LoopbackRequest&) { return LoopbackResponse::stall(); });
  ASSERT_TRUE(server.start());
  CurlTransport transport;
  CallOptions options;
  auto start = std::chrono::steady_clock::now();
  options.deadline = start + 300ms;
  auto r = transport.send(json_post(server.url("/")), options);
  Ms took = elapsed_since(start);
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().code, ErrorCode::DeadlineExceeded) << r.error().message;
  EXPECT_GE(took, 300ms);
  EXPECT_LT(took, 800ms);
}

TEST(CurlTransport, PassedDeadlineFailsWithoutSending) {
  // A deadline already in the past fails at once and the server sees nothing.
  LoopbackServer server(echo_body);
  ASSERT_TRUE(server.start());
  CurlTransport transport;
  CallOptions options;
  options.deadline = std::chrono::steady_clock::now() - 1ms;
  auto r = transport.send(json_post(server.url("/")), options);
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().code, ErrorCode::DeadlineExceeded);
  EXPECT_EQ(server.connections_accepted(), 0u);
  EXPECT_EQ(server.requests_served(), 0u);
}

TEST(CurlTransport, SilenceAfterHeadersIsAReadTimeout) {
  // Headers then nothing: the 200 ms read timeout fires (not the far deadline).
  LoopbackServer server([](const LoopbackRequest&) {
    return LoopbackResponse::partial_then_stall(std::string(100, 'x'), 0);
  });
  ASSERT_TRUE(server.start());
  CurlTransport transport;
  CallOptions options;
  options.read_timeout = 200ms;
  auto start = std::chrono::steady_clock::now();
  options.deadline = start + 10s;
  auto r = transport.send(json_post(server.url("/")), options);
  Ms took = elapsed_since(start);
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().code, ErrorCode::ReadTimeout) << r.error().message;
  EXPECT_GE(took, 200ms);
  EXPECT_LT(took, 700ms);
}

TEST(CurlTransport, SlowButSteadyBodyIsNotAReadTimeout) {
  // Bytes every 50 ms keep a 200 ms read timeout from firing although the call takes longer.
  LoopbackServer server(
      [](const LoopbackRequest&) { return LoopbackResponse::slow(std::string(10, 'y'), 1, 50ms); });
  ASSERT_TRUE(server.start());
  CurlTransport transport;
  CallOptions options;
  options.read_timeout = 200ms;
  auto start = std::chrono::steady_clock::now();
  auto r = transport.send(json_post(server.url("/")), options);
  ASSERT_TRUE(r.has_value()) << r.error().message;
  EXPECT_EQ(r->body, std::string(10, 'y'));
  EXPECT_GE(elapsed_since(start), 400ms);
}

TEST(CurlTransport, ZeroReadTimeoutDisablesTheReadTimeout) {
  // read_timeout 0 means "no silence limit": a 150 ms pause before answering is fine.
  LoopbackServer server([](const LoopbackRequest&) {
    return LoopbackResponse::delayed(150ms, LoopbackResponse::text(200, "late"));
  });
  ASSERT_TRUE(server.start());
  CurlTransport transport;
  CallOptions options;
  options.read_timeout = 0ms;
  auto r = transport.send(json_post(server.url("/")), options);
  ASSERT_TRUE(r.has_value()) << r.error().message;
  EXPECT_EQ(r->body, "late");
}

TEST(CurlTransport, ConnectTimeoutIsConnectionFailedSayingTimedOut) {
  // A connect that never completes ends after connect_timeout as ConnectionFailed, and the
  // message says "timed out" (the runtime's classifier relies on it).
  FullBacklogListener listener;
  CurlTransport transport;
  CallOptions options;
  options.connect_timeout = 200ms;
  auto start = std::chrono::steady_clock::now();
  auto r = transport.send(json_post(listener.url()), options);
  Ms took = elapsed_since(start);
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().code, ErrorCode::ConnectionFailed) << r.error().message;
  EXPECT_NE(r.error().message.find("timed out"), std::string::npos) << r.error().message;
  EXPECT_GE(took, 190ms);
  EXPECT_LT(took, 700ms);
}

TEST(CurlTransport, DeadlineShorterThanConnectTimeoutWins) {
  // When the deadline comes before the connect timeout, the caller gets DeadlineExceeded.
  FullBacklogListener listener;
  CurlTransport transport;
  CallOptions options;
  options.connect_timeout = 5s;
  auto start = std::chrono::steady_clock::now();
  options.deadline = start + 250ms;
  auto r = transport.send(json_post(listener.url()), options);
  Ms took = elapsed_since(start);
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().code, ErrorCode::DeadlineExceeded) << r.error().message;
  EXPECT_GE(took, 240ms);
  EXPECT_LT(took, 750ms);
}

TEST(CurlTransport, CancelFlagAbortsAStalledCallQuickly) {
  // Setting the flag from another thread ends a stalled call within ~100 ms with Cancelled.
  LoopbackServer server([](const LoopbackRequest&) { return LoopbackResponse::stall(); });
  ASSERT_TRUE(server.start());
  CurlTransport transport;
  std::atomic<bool> cancelled{false};
  CallOptions options;
  options.cancelled = &cancelled;
  std::chrono::steady_clock::time_point cancelled_at;
  std::thread canceller([&] {
    server.wait_for_requests(1, 5s);
    std::this_thread::sleep_for(50ms);
    cancelled_at = std::chrono::steady_clock::now();
    cancelled.store(true);
  });
  auto r = transport.send(json_post(server.url("/")), options);
  auto finished = std::chrono::steady_clock::now();
  canceller.join();
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().code, ErrorCode::Cancelled) << r.error().message;
  EXPECT_LT(finished - cancelled_at, 150ms);
}

TEST(CurlTransport, ConnectionIsReplacedAfterAFailedCall) {
  // After a read timeout the half-used connection is dropped and the next call succeeds.
  std::atomic<int> calls{0};
  LoopbackServer server([&](const LoopbackRequest&) {
    if (calls.fetch_add(1) == 0) return LoopbackResponse::partial_then_stall("abcdef", 3);
    return LoopbackResponse::text(200, "fresh");
  });
  ASSERT_TRUE(server.start());
  CurlTransport transport;
  CallOptions options;
  options.read_timeout = 100ms;
  auto first = transport.send(json_post(server.url("/")), options);
  ASSERT_FALSE(first.has_value());
  EXPECT_EQ(first.error().code, ErrorCode::ReadTimeout);
  auto second = transport.send(json_post(server.url("/")), options);
  ASSERT_TRUE(second.has_value()) << second.error().message;
  EXPECT_EQ(second->body, "fresh");
  EXPECT_EQ(server.connections_accepted(), 2u);
}

}  // namespace
}  // namespace bedrock::http
