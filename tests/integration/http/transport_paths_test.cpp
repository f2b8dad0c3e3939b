// The same failures give the same errors, and the same successes the same responses, on every
// path a request can take: the sync direct path, curl's full engine, and the async engine.
#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <string>

#include "bedrock/http/transport_stats.h"
#include "fakes/full_backlog_listener.h"
#include "fakes/loopback_server.h"
#include "fakes/test_certificate.h"
#include "json_post.h"
#include "transport_modes.h"

namespace bedrock::http {
namespace {

using namespace std::chrono_literals;
using bedrock::testing::FullBacklogListener;
using bedrock::testing::LoopbackRequest;
using bedrock::testing::LoopbackResponse;
using bedrock::testing::LoopbackServer;
using testing::Mode;
using testing::ModeClient;
using Ms = std::chrono::milliseconds;

class TransportPaths : public ::testing::TestWithParam<Mode> {};

TEST_P(TransportPaths, SequentialCallsReuseOneConnection) {
  // Five calls in a row travel on one kept-alive connection.
  LoopbackServer server(echo_body);
  ASSERT_TRUE(server.start());
  ModeClient client(GetParam());
  for (int i = 0; i < 5; ++i) {
    auto r = client.send(json_post(server.url("/"), std::to_string(i)), {});
    ASSERT_TRUE(r.has_value()) << r.error().message;
    EXPECT_EQ(r->body, std::to_string(i));
  }
  EXPECT_EQ(server.connections_accepted(), 1u);
}

TEST_P(TransportPaths, DroppedReusedConnectionIsResentOnceAndCounted) {
  // The second request on a kept-alive connection is read and dropped without an answer: it is
  // re-sent once on a fresh connection and counted.
  std::atomic<int> seen{0};
  LoopbackServer server([&](const LoopbackRequest& r) {
    if (seen.fetch_add(1) == 1) return LoopbackResponse::close();
    return LoopbackResponse::text(200, r.body, {{"Connection", "keep-alive"}});
  });
  ASSERT_TRUE(server.start());
  ModeClient client(GetParam());
  const auto before = transport_stats().stale_connection_resends;
  for (int i = 0; i < 2; ++i) {
    auto r = client.send(json_post(server.url("/"), std::to_string(i)), {});
    ASSERT_TRUE(r.has_value()) << i << ": " << r.error().message;
    EXPECT_EQ(r->body, std::to_string(i));
  }
  EXPECT_EQ(seen.load(), 3);
  // curl's full engine re-sends inside curl, where the counter cannot see it.
  const std::uint64_t counted = GetParam() == Mode::CurlEngine ? 0u : 1u;
  EXPECT_EQ(transport_stats().stale_connection_resends - before, counted);
}

TEST_P(TransportPaths, ServerErrorStatusIsAResponse) {
  // An HTTP 500 with a body is a Response, headers and all.
  LoopbackServer server([](const LoopbackRequest&) {
    return LoopbackResponse::json(500, R"({"message":"boom"})",
                                  {{"x-amzn-ErrorType", "InternalServerException"}});
  });
  ASSERT_TRUE(server.start());
  ModeClient client(GetParam());
  auto r = client.send(json_post(server.url("/")), {});
  ASSERT_TRUE(r.has_value()) << r.error().message;
  EXPECT_EQ(r->status, 500);
  EXPECT_EQ(r->body, R"({"message":"boom"})");
  EXPECT_EQ(r->header("x-amzn-errortype"), "InternalServerException");
}

TEST_P(TransportPaths, LargeBodiesRoundTripIntact) {
  // A 3 MB request body is echoed back byte for byte (sends and reads that block midway).
  LoopbackServer server(echo_body);
  ASSERT_TRUE(server.start());
  ModeClient client(GetParam());
  std::string body(3 * 1024 * 1024, '\0');
  for (std::size_t i = 0; i < body.size(); ++i) body[i] = static_cast<char>((i * 131) % 251);
  auto r = client.send(json_post(server.url("/"), body), {});
  ASSERT_TRUE(r.has_value()) << r.error().message;
  EXPECT_TRUE(r->body == body);
}

TEST_P(TransportPaths, CloseMidBodyIsAConnectionResetWithByteCounts) {
  // The server announces 100 bytes, sends 10 and hangs up.
  LoopbackServer server([](const LoopbackRequest&) {
    return LoopbackResponse::partial_then_close(std::string(100, 'z'), 10);
  });
  ASSERT_TRUE(server.start());
  ModeClient client(GetParam());
  auto r = client.send(json_post(server.url("/")), {});
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().code, ErrorCode::ConnectionReset);
  EXPECT_NE(r.error().message.find("connection closed by peer after 10 of 100 body bytes"),
            std::string::npos)
      << r.error().message;
}

TEST_P(TransportPaths, CloseWithoutResponseIsAConnectionReset) {
  // A server that hangs up without answering yields ConnectionReset "before any response".
  LoopbackServer server([](const LoopbackRequest&) { return LoopbackResponse::close(); });
  ASSERT_TRUE(server.start());
  ModeClient client(GetParam());
  auto r = client.send(json_post(server.url("/")), {});
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().code, ErrorCode::ConnectionReset) << r.error().message;
  EXPECT_NE(r.error().message.find("before any response"), std::string::npos) << r.error().message;
}

TEST_P(TransportPaths, RefusedConnectionIsConnectionFailed) {
  // A bound but not listening port fails with ConnectionFailed naming the origin, not the query.
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ASSERT_EQ(::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr), 0);
  socklen_t len = sizeof addr;
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
  std::string url = "http://127.0.0.1:" + std::to_string(ntohs(addr.sin_port)) + "/x?secret=1";
  ModeClient client(GetParam());
  auto r = client.send(json_post(url), {});
  ::close(fd);
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().code, ErrorCode::ConnectionFailed) << r.error().message;
  EXPECT_NE(r.error().message.find("http://127.0.0.1:"), std::string::npos);
  EXPECT_EQ(r.error().message.find("secret"), std::string::npos) << r.error().message;
}

TEST_P(TransportPaths, OversizedResponseIsInvalidResponse) {
  // A body past max_response_bytes is refused, naming the limit.
  LoopbackServer server(
      [](const LoopbackRequest&) { return LoopbackResponse::text(200, std::string(4096, 'q')); });
  ASSERT_TRUE(server.start());
  CurlTransportOptions options;
  options.max_response_bytes = 1024;
  ModeClient client(GetParam(), options);
  auto r = client.send(json_post(server.url("/")), {});
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().code, ErrorCode::InvalidResponse) << r.error().message;
  EXPECT_NE(r.error().message.find("1024 byte limit"), std::string::npos) << r.error().message;
}

TEST_P(TransportPaths, GarbageResponseIsInvalidResponse) {
  // Bytes that are not an HTTP response yield InvalidResponse.
  LoopbackServer server([](const LoopbackRequest&) {
    LoopbackResponse r;
    r.raw = "SSH-2.0-OpenSSH_9.2\r\nnot http at all\r\n\r\n";
    r.close_connection = true;
    return r;
  });
  ASSERT_TRUE(server.start());
  ModeClient client(GetParam());
  auto r = client.send(json_post(server.url("/")), {});
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().code, ErrorCode::InvalidResponse) << r.error().message;
}

TEST_P(TransportPaths, NeverAnsweringServerHitsTheDeadline) {
  // A 300 ms deadline against a stalled server returns DeadlineExceeded in 300-800 ms.
  LoopbackServer server([](const LoopbackRequest&) { return LoopbackResponse::stall(); });
  ASSERT_TRUE(server.start());
  ModeClient client(GetParam());
  CallOptions options;
  auto start = std::chrono::steady_clock::now();
  options.deadline = start + 300ms;
  auto r = client.send(json_post(server.url("/")), options);
  Ms took = elapsed_since(start);
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().code, ErrorCode::DeadlineExceeded) << r.error().message;
  EXPECT_GE(took, 300ms);
  EXPECT_LT(took, 800ms);
}

TEST_P(TransportPaths, PassedDeadlineFailsWithoutSending) {
  // A deadline already in the past fails at once and the server sees nothing.
  LoopbackServer server(echo_body);
  ASSERT_TRUE(server.start());
  ModeClient client(GetParam());
  CallOptions options;
  options.deadline = std::chrono::steady_clock::now() - 1ms;
  auto r = client.send(json_post(server.url("/")), options);
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().code, ErrorCode::DeadlineExceeded);
  EXPECT_EQ(server.connections_accepted(), 0u);
}

TEST_P(TransportPaths, SilenceAfterHeadersIsAReadTimeout) {
  // Headers then nothing: the 200 ms read timeout fires, not the far deadline.
  LoopbackServer server([](const LoopbackRequest&) {
    return LoopbackResponse::partial_then_stall(std::string(100, 'x'), 0);
  });
  ASSERT_TRUE(server.start());
  ModeClient client(GetParam());
  CallOptions options;
  options.read_timeout = 200ms;
  auto start = std::chrono::steady_clock::now();
  options.deadline = start + 10s;
  auto r = client.send(json_post(server.url("/")), options);
  Ms took = elapsed_since(start);
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().code, ErrorCode::ReadTimeout) << r.error().message;
  EXPECT_GE(took, 200ms);
  EXPECT_LT(took, 700ms);
}

TEST_P(TransportPaths, SlowButSteadyBodyIsNotAReadTimeout) {
  // Bytes every 50 ms keep a 200 ms read timeout from firing although the call takes longer.
  LoopbackServer server(
      [](const LoopbackRequest&) { return LoopbackResponse::slow(std::string(10, 'y'), 1, 50ms); });
  ASSERT_TRUE(server.start());
  ModeClient client(GetParam());
  CallOptions options;
  options.read_timeout = 200ms;
  auto start = std::chrono::steady_clock::now();
  auto r = client.send(json_post(server.url("/")), options);
  ASSERT_TRUE(r.has_value()) << r.error().message;
  EXPECT_EQ(r->body, std::string(10, 'y'));
  EXPECT_GE(elapsed_since(start), 400ms);
}

TEST_P(TransportPaths, ConnectTimeoutIsConnectionFailedSayingTimedOut) {
  // A connect that never completes ends after connect_timeout as ConnectionFailed "timed out".
  FullBacklogListener listener;
  ModeClient client(GetParam());
  CallOptions options;
  options.connect_timeout = 200ms;
  auto start = std::chrono::steady_clock::now();
  auto r = client.send(json_post(listener.url()), options);
  Ms took = elapsed_since(start);
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().code, ErrorCode::ConnectionFailed) << r.error().message;
  EXPECT_NE(r.error().message.find("timed out"), std::string::npos) << r.error().message;
  EXPECT_GE(took, 190ms);
  EXPECT_LT(took, 700ms);
}

TEST_P(TransportPaths, DeadlineShorterThanConnectTimeoutWins) {
  // When the deadline comes before the connect timeout, the caller gets DeadlineExceeded.
  FullBacklogListener listener;
  ModeClient client(GetParam());
  CallOptions options;
  options.connect_timeout = 5s;
  auto start = std::chrono::steady_clock::now();
  options.deadline = start + 250ms;
  auto r = client.send(json_post(listener.url()), options);
  Ms took = elapsed_since(start);
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().code, ErrorCode::DeadlineExceeded) << r.error().message;
  EXPECT_GE(took, 240ms);
  EXPECT_LT(took, 750ms);
}

TEST_P(TransportPaths, UntrustedCertificateIsTlsFailed) {
  // A self-signed certificate not in the trust store fails verification as TlsFailed.
  LoopbackServer::Options options;
  options.tls = bedrock::testing::make_self_signed_identity();
  LoopbackServer server(echo_body, options);
  ASSERT_TRUE(server.start());
  ModeClient client(GetParam());
  auto r = client.send(json_post(server.url("/secure")), {});
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().code, ErrorCode::TlsFailed) << r.error().message;
  EXPECT_EQ(server.requests_served(), 0u);
}

TEST_P(TransportPaths, HttpsThroughAProxyTunnelIsVerifiedAndKeptAlive) {
  // https with https_proxy: one CONNECT tunnel carries three calls, TLS verified end to end
  // against the CA bundle.
  bedrock::testing::TempDir dir;
  LoopbackServer::Options tls{.tls = bedrock::testing::make_self_signed_identity()};
  LoopbackServer target(echo_body, tls);
  LoopbackServer proxy([](const LoopbackRequest& r) {
    if (r.method == "CONNECT") return LoopbackResponse::tunnel();
    return LoopbackResponse::text(400, "CONNECT only");
  });
  ASSERT_TRUE(target.start());
  ASSERT_TRUE(proxy.start());
  CurlTransportOptions options;
  options.https_proxy = proxy.url("");
  options.ca_bundle = dir.write_file("ca.pem", tls.tls->certificate_pem);
  ModeClient client(GetParam(), options);
  for (int i = 0; i < 3; ++i) {
    auto r = client.send(json_post(target.url("/t"), std::to_string(i)), {});
    ASSERT_TRUE(r.has_value()) << r.error().message;
    EXPECT_EQ(r->body, std::to_string(i));
  }
  ASSERT_EQ(proxy.requests().size(), 1u);
  EXPECT_EQ(proxy.requests()[0].method, "CONNECT");
  EXPECT_EQ(target.connections_accepted(), 1u);
}

INSTANTIATE_TEST_SUITE_P(Paths, TransportPaths,
                         ::testing::Values(Mode::Direct, Mode::CurlEngine, Mode::Async),
                         [](const auto& param_info) {
                           return testing::mode_name(param_info.param);
                         });

}  // namespace
}  // namespace bedrock::http
