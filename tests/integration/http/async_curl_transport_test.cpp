// AsyncCurlTransport's own behaviour: many exchanges overlapping on one thread, connection
// reuse across concurrent exchanges, cancellation at each phase, completions that never run
// inside start(), and the transport going away with exchanges in flight.
#include "bedrock/http/async_curl_transport.h"

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "fakes/loopback_server.h"
#include "json_post.h"
#include "recording_sink.h"

namespace bedrock::http {
namespace {

using namespace std::chrono_literals;
using bedrock::testing::LoopbackRequest;
using bedrock::testing::LoopbackResponse;
using bedrock::testing::LoopbackServer;
using testing::RecordingSink;
using Ms = std::chrono::milliseconds;

// Runs `io` until `done()` or 20 s; whether done() became true.
template <class Done>
bool run_until(boost::asio::io_context& io, Done done) {
  const auto give_up = std::chrono::steady_clock::now() + 20s;
  while (!done() && std::chrono::steady_clock::now() < give_up) {
    io.run_one_for(50ms);
    if (io.stopped()) io.restart();
  }
  return done();
}

// Runs `io` for `how_long`, whatever happens.
void run_for(boost::asio::io_context& io, Ms how_long) {
  const auto until = std::chrono::steady_clock::now() + how_long;
  while (std::chrono::steady_clock::now() < until) {
    io.run_one_until(until);
    if (io.stopped()) io.restart();
  }
}

// A socket that listens but never accepts: connects complete (the kernel does the handshake)
// and the first bytes are buffered, but nobody reads, so a large send blocks midway.
class DeafListener {
 public:
  DeafListener() {
    fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    ::bind(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr);
    ::listen(fd_, 8);
    socklen_t len = sizeof addr;
    ::getsockname(fd_, reinterpret_cast<sockaddr*>(&addr), &len);
    port_ = ntohs(addr.sin_port);
  }
  ~DeafListener() { ::close(fd_); }
  std::string url() const { return "http://127.0.0.1:" + std::to_string(port_) + "/"; }

 private:
  int fd_ = -1;
  std::uint16_t port_ = 0;
};

TEST(AsyncCurlTransport, FiveHundredSlowExchangesOverlapOnOneThread) {
  // 500 exchanges against a server that answers each after 400 ms take about one delay in all,
  // not 500, all on this thread; each gets its own answer.
  LoopbackServer::Options server_options;
  server_options.max_connections = 600;
  LoopbackServer server(
      [](const LoopbackRequest& r) {
        return LoopbackResponse::delayed(400ms, LoopbackResponse::text(200, r.body));
      },
      server_options);
  ASSERT_TRUE(server.start());
  boost::asio::io_context io;
  auto transport = AsyncCurlTransport::create(io);
  constexpr int kExchanges = 500;
  std::vector<std::optional<Result<Response>>> results(kExchanges);
  int finished = 0;
  const auto start = std::chrono::steady_clock::now();
  CallOptions options;
  options.deadline = start + 15s;
  for (int i = 0; i < kExchanges; ++i) {
    transport->start(json_post(server.url("/"), std::to_string(i)), options,
                     [&, i](Result<Response> r) {
                       results[i] = std::move(r);
                       ++finished;
                     });
  }
  EXPECT_EQ(finished, 0);  // never inside start()
  ASSERT_TRUE(run_until(io, [&] { return finished == kExchanges; }));
  const Ms took = elapsed_since(start);
  for (int i = 0; i < kExchanges; ++i) {
    ASSERT_TRUE(results[i]->has_value()) << i << ": " << results[i]->error().message;
    EXPECT_EQ((*results[i])->body, std::to_string(i));
  }
  EXPECT_GE(took, 400ms);
  EXPECT_LT(took, 4000ms) << "exchanges did not overlap";
  EXPECT_EQ(server.connections_accepted(), static_cast<std::size_t>(kExchanges));
  EXPECT_EQ(transport->in_flight(), 0u);
}

TEST(AsyncCurlTransport, ConcurrentRoundsReuseTheirConnections) {
  // Ten concurrent exchanges open ten connections; the next ten reuse them (LIFO pool).
  LoopbackServer server([](const LoopbackRequest& r) {
    return LoopbackResponse::delayed(50ms, LoopbackResponse::text(200, r.body));
  });
  ASSERT_TRUE(server.start());
  boost::asio::io_context io;
  auto transport = AsyncCurlTransport::create(io);
  for (int round = 0; round < 2; ++round) {
    int ok = 0;
    int finished = 0;
    for (int i = 0; i < 10; ++i) {
      transport->start(json_post(server.url("/")), {}, [&](Result<Response> r) {
        ok += r.has_value() ? 1 : 0;
        ++finished;
      });
    }
    ASSERT_TRUE(run_until(io, [&] { return finished == 10; }));
    EXPECT_EQ(ok, 10);
    EXPECT_EQ(transport->idle_connections(), 10u);
  }
  EXPECT_EQ(server.connections_accepted(), 10u);
  EXPECT_EQ(server.requests_served(), 20u);
}

TEST(AsyncCurlTransport, IdlePoolIsBounded) {
  // With max_idle_handles 3, five concurrent exchanges leave only three idle connections.
  LoopbackServer server([](const LoopbackRequest&) {
    return LoopbackResponse::delayed(50ms, LoopbackResponse::text(200, "ok"));
  });
  ASSERT_TRUE(server.start());
  boost::asio::io_context io;
  CurlTransportOptions options;
  options.max_idle_handles = 3;
  auto transport = AsyncCurlTransport::create(io, options);
  int finished = 0;
  for (int i = 0; i < 5; ++i) {
    transport->start(json_post(server.url("/")), {}, [&](Result<Response>) { ++finished; });
  }
  ASSERT_TRUE(run_until(io, [&] { return finished == 5; }));
  EXPECT_EQ(transport->idle_connections(), 3u);
}

// Starts one exchange, cancels it once `when()` holds (checked every 10 ms), and returns the
// result and how long after the cancel it arrived.
template <class When>
std::pair<Result<Response>, Ms> cancel_when(AsyncCurlTransport& transport,
                                            boost::asio::io_context& io, Request request,
                                            CallOptions options, When when) {
  std::optional<Result<Response>> result;
  auto exchange = transport.start(std::move(request), options,
                                  [&](Result<Response> r) { result = std::move(r); });
  EXPECT_TRUE(run_until(io, [&] { return result.has_value() || when(); }));
  EXPECT_FALSE(result.has_value()) << "ended before the cancel";
  const auto cancelled_at = std::chrono::steady_clock::now();
  exchange->cancel();
  EXPECT_FALSE(result.has_value());  // cancel() completes from the loop, not inline
  EXPECT_TRUE(run_until(io, [&] { return result.has_value(); }));
  exchange->cancel();  // after completion: nothing happens
  if (!result) return {fail(ErrorCode::Unknown, "never ended"), Ms(0)};
  return {std::move(*result), elapsed_since(cancelled_at)};
}

TEST(AsyncCurlTransport, CancelMidConnectEndsPromptlyWithCancelled) {
  // A connect that would hang is cancelled after 100 ms: Cancelled, at once.
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr);
  ::listen(fd, 0);
  socklen_t len = sizeof addr;
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
  int filler = ::socket(AF_INET, SOCK_STREAM, 0);
  ::connect(filler, reinterpret_cast<sockaddr*>(&addr), sizeof addr);  // fills the queue
  const std::string url = "http://127.0.0.1:" + std::to_string(ntohs(addr.sin_port)) + "/";

  boost::asio::io_context io;
  auto transport = AsyncCurlTransport::create(io);
  CallOptions options;
  options.connect_timeout = 10s;
  const auto start = std::chrono::steady_clock::now();
  auto [result, after] = cancel_when(*transport, io, json_post(url), options,
                                     [&] { return elapsed_since(start) >= 100ms; });
  ::close(filler);
  ::close(fd);
  ASSERT_FALSE(result.has_value());
  EXPECT_EQ(result.error().code, ErrorCode::Cancelled) << result.error().message;
  EXPECT_LT(after, 50ms);
  EXPECT_EQ(transport->in_flight(), 0u);
}

TEST(AsyncCurlTransport, CancelMidSendEndsPromptlyWithCancelled) {
  // A 32 MB body to a server that never reads blocks mid-send; cancel ends it at once.
  DeafListener listener;
  boost::asio::io_context io;
  auto transport = AsyncCurlTransport::create(io);
  const auto start = std::chrono::steady_clock::now();
  auto [result, after] =
      cancel_when(*transport, io, json_post(listener.url(), std::string(32 << 20, 'b')), {},
                  [&] { return elapsed_since(start) >= 300ms; });
  ASSERT_FALSE(result.has_value());
  EXPECT_EQ(result.error().code, ErrorCode::Cancelled) << result.error().message;
  EXPECT_LT(after, 50ms);
}

TEST(AsyncCurlTransport, CancelMidStreamReleasesTheConnection) {
  // A body trickling out is cancelled once the sink has a piece: Cancelled, the connection is
  // closed (the server sees it go) and not pooled.
  LoopbackServer server([](const LoopbackRequest&) {
    return LoopbackResponse::slow(std::string(200, 's'), 1, 20ms);
  });
  ASSERT_TRUE(server.start());
  boost::asio::io_context io;
  auto transport = AsyncCurlTransport::create(io);
  RecordingSink sink;
  CallOptions options;
  options.sink = &sink;
  auto [result, after] = cancel_when(*transport, io, json_post(server.url("/")), options,
                                     [&] { return !sink.pieces().empty(); });
  ASSERT_FALSE(result.has_value());
  EXPECT_EQ(result.error().code, ErrorCode::Cancelled) << result.error().message;
  EXPECT_LT(after, 50ms);
  EXPECT_LT(sink.body().size(), 200u);
  EXPECT_EQ(transport->idle_connections(), 0u);
  const auto closing = std::chrono::steady_clock::now();
  while (server.active_connections() > 0 && elapsed_since(closing) < 2s)
    std::this_thread::sleep_for(5ms);
  EXPECT_EQ(server.active_connections(), 0u);
}

TEST(AsyncCurlTransport, CancelWhileWaitingForTheAnswer) {
  // A stalled server: cancel after the request arrived ends the exchange with Cancelled.
  LoopbackServer server([](const LoopbackRequest&) { return LoopbackResponse::stall(); });
  ASSERT_TRUE(server.start());
  boost::asio::io_context io;
  auto transport = AsyncCurlTransport::create(io);
  auto [result, after] = cancel_when(*transport, io, json_post(server.url("/")), {},
                                     [&] { return server.requests_served() == 1; });
  ASSERT_FALSE(result.has_value());
  EXPECT_EQ(result.error().code, ErrorCode::Cancelled) << result.error().message;
  EXPECT_LT(after, 50ms);
}

TEST(AsyncCurlTransport, HostNamesAreResolvedWithoutBlockingTheLoop) {
  // "localhost" goes through curl's resolver (its wake-up pipe watched by the loop).
  LoopbackServer server([](const LoopbackRequest&) { return LoopbackResponse::text(200, "hi"); });
  ASSERT_TRUE(server.start());
  boost::asio::io_context io;
  auto transport = AsyncCurlTransport::create(io);
  std::optional<Result<Response>> result;
  transport->start(json_post("http://localhost:" + std::to_string(server.port()) + "/"), {},
                   [&](Result<Response> r) { result = std::move(r); });
  ASSERT_TRUE(run_until(io, [&] { return result.has_value(); }));
  ASSERT_TRUE(result->has_value()) << result->error().message;
  EXPECT_EQ((*result)->body, "hi");
}

TEST(AsyncCurlTransport, RequestsOnlyCurlsEngineCarriesAreConfigurationInvalid) {
  // HEAD (left to curl's engine on the sync path) is refused, from the loop, naming the fix.
  boost::asio::io_context io;
  auto transport = AsyncCurlTransport::create(io);
  Request head;
  head.method = "HEAD";
  head.url = "http://127.0.0.1:9/";
  std::optional<Result<Response>> result;
  transport->start(head, {}, [&](Result<Response> r) { result = std::move(r); });
  EXPECT_FALSE(result.has_value());
  ASSERT_TRUE(run_until(io, [&] { return result.has_value(); }));
  ASSERT_FALSE(result->has_value());
  EXPECT_EQ(result->error().code, ErrorCode::ConfigurationInvalid);
  EXPECT_NE(result->error().message.find("CurlTransport"), std::string::npos);
}

TEST(AsyncCurlTransport, DestroyingTheTransportCancelsExchangesInFlight) {
  // Exchanges still waiting when the transport goes away complete with Cancelled.
  LoopbackServer server([](const LoopbackRequest&) { return LoopbackResponse::stall(); });
  ASSERT_TRUE(server.start());
  boost::asio::io_context io;
  auto transport = AsyncCurlTransport::create(io);
  std::vector<ErrorCode> codes;
  for (int i = 0; i < 3; ++i) {
    transport->start(json_post(server.url("/")), {}, [&](Result<Response> r) {
      codes.push_back(r.has_value() ? ErrorCode::Unknown : r.error().code);
    });
  }
  ASSERT_TRUE(run_until(io, [&] { return server.requests_served() == 3; }));
  transport.reset();
  ASSERT_TRUE(run_until(io, [&] { return codes.size() == 3; }));
  for (ErrorCode code : codes) EXPECT_EQ(code, ErrorCode::Cancelled);
  run_for(io, 20ms);  // stray handlers of the closed sockets run without touching freed state
}

}  // namespace
}  // namespace bedrock::http
