// CurlTransport against the loopback server: connection reuse, request/response fidelity,
// typed failures.
#include "bedrock/http/curl_transport.h"

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <string>
#include <thread>
#include <vector>

#include "bedrock/http/transport_stats.h"
#include "fakes/loopback_server.h"
#include "json_post.h"

namespace bedrock::http {
namespace {

using namespace std::chrono_literals;
using testing::LoopbackRequest;
using testing::LoopbackResponse;
using testing::LoopbackServer;

LoopbackResponse echo_with_target(const LoopbackRequest& r) {
  return LoopbackResponse::text(200, r.body, {{"X-Target", r.target}});
}

TEST(CurlTransport, SequentialCallsReuseOneConnection) {
  // 50 calls in a row travel over a single kept-alive connection.
  LoopbackServer server(echo_with_target);
  ASSERT_TRUE(server.start());
  CurlTransport transport;
  for (int i = 0; i < 50; ++i) {
    auto r = transport.send(json_post(server.url("/model/x%3A0/invoke"), std::to_string(i)), {});
    ASSERT_TRUE(r.has_value()) << r.error().message;
    EXPECT_EQ(r->status, 200);
    EXPECT_EQ(r->body, std::to_string(i));
    EXPECT_EQ(r->header("x-target"), "/model/x%3A0/invoke");
  }
  EXPECT_EQ(server.requests_served(), 50u);
  EXPECT_EQ(server.connections_accepted(), 1u);
  EXPECT_EQ(transport.idle_handles(), 1u);
}

TEST(CurlTransport, ConcurrentCallersUseAtMostOneConnectionEach) {
  // 8 threads x 50 calls share the transport and open no more than 8 connections.
  LoopbackServer server(echo_with_target);
  ASSERT_TRUE(server.start());
  CurlTransport transport;
  std::atomic<int> failures{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 8; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 50; ++i) {
        std::string body = std::to_string(t) + "-" + std::to_string(i);
        auto r = transport.send(json_post(server.url("/"), body), {});
        if (!r || r->status != 200 || r->body != body) failures.fetch_add(1);
      }
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_EQ(failures.load(), 0);
  EXPECT_EQ(server.requests_served(), 400u);
  EXPECT_LE(server.connections_accepted(), 8u);
  EXPECT_GE(server.connections_accepted(), 1u);
}

TEST(CurlTransport, SendsHeadersAsGivenWithoutExpectOrInventedContentType) {
  // Caller headers arrive in order with their values; curl adds no Expect or Content-Type.
  LoopbackServer server(echo_with_target);
  ASSERT_TRUE(server.start());
  CurlTransport transport;
  Request r;
  r.method = "POST";
  r.url = server.url("/a?b=c%2Fd");
  r.headers = {{"X-Amz-Date", "20240115T120000Z"}, {"Authorization", "AWS4 x"}, {"X-Empty", ""}};
  r.body = std::string(2 * 1024 * 1024, 'b');  // large enough that curl would send Expect
  auto response = transport.send(r, {});
  ASSERT_TRUE(response.has_value()) << response.error().message;
  ASSERT_EQ(server.requests().size(), 1u);
  const LoopbackRequest got = server.requests()[0];
  EXPECT_EQ(got.method, "POST");
  EXPECT_EQ(got.target, "/a?b=c%2Fd");
  EXPECT_EQ(got.header("X-Amz-Date"), "20240115T120000Z");
  EXPECT_EQ(got.header("Authorization"), "AWS4 x");
  EXPECT_EQ(got.header("X-Empty"), "");
  EXPECT_FALSE(got.header("Expect").has_value());
  EXPECT_FALSE(got.header("Content-Type").has_value());
  EXPECT_EQ(got.body.size(), r.body.size());
}

TEST(CurlTransport, CapturesTrimmedResponseHeadersAndStatus) {
  // Response headers keep their spelling, values are trimmed, duplicates are kept.
  LoopbackServer server([](const LoopbackRequest&) {
    return LoopbackResponse::text(
        201, "ok", {{"x-amzn-RequestId", "  req-1  "}, {"X-Dup", "a"}, {"X-Dup", "b"}});
  });
  ASSERT_TRUE(server.start());
  CurlTransport transport;
  auto r = transport.send(json_post(server.url("/")), {});
  ASSERT_TRUE(r.has_value()) << r.error().message;
  EXPECT_EQ(r->status, 201);
  EXPECT_EQ(r->header("X-Amzn-RequestId"), "req-1");
  int dups = 0;
  for (const auto& [name, value] : r->headers) {
    if (name == "X-Dup") ++dups;
  }
  EXPECT_EQ(dups, 2);
}

TEST(CurlTransport, MethodsOtherThanPostAreSentAsGiven) {
  // GET, PUT and DELETE reach the server with the right method and body.
  LoopbackServer server([](const LoopbackRequest& r) {
    return LoopbackResponse::text(200, r.method + ":" + r.body);
  });
  ASSERT_TRUE(server.start());
  CurlTransport transport;
  for (auto [method, body] : std::vector<std::pair<std::string, std::string>>{
           {"GET", ""}, {"PUT", "token"}, {"DELETE", ""}, {"POST", ""}, {"GET", ""}}) {
    Request r;
    r.method = method;
    r.url = server.url("/latest/api/token");
    r.body = body;
    auto response = transport.send(r, {});
    ASSERT_TRUE(response.has_value()) << response.error().message;
    EXPECT_EQ(response->body, method + ":" + body);
  }
  EXPECT_EQ(server.connections_accepted(), 1u);
}

TEST(CurlTransport, ServerClosingKeptAliveConnectionsIsTransparent) {
  // A server that promises keep-alive but closes after each response (a stale pooled
  // connection) costs a reconnect, never a failed call.
  LoopbackServer server([](const LoopbackRequest& r) {
    LoopbackResponse response = LoopbackResponse::text(200, r.body, {{"Connection", "keep-alive"}});
    response.close_connection = true;
    return response;
  });
  ASSERT_TRUE(server.start());
  CurlTransport transport;
  for (int i = 0; i < 5; ++i) {
    auto r = transport.send(json_post(server.url("/"), std::to_string(i)), {});
    ASSERT_TRUE(r.has_value()) << i << ": " << r.error().message;
    EXPECT_EQ(r->body, std::to_string(i));
  }
  EXPECT_EQ(server.connections_accepted(), 5u);
  EXPECT_EQ(server.requests_served(), 5u);
}

TEST(CurlTransport, DroppedReusedConnectionIsResentOnceAndCounted) {
  // A server that reads the second request on a kept-alive connection and closes without an
  // answer: the transport re-sends it once on a fresh connection (not a failed call), and the
  // process-wide counter says so, so a caller can reconcile its attempts with the server's.
  std::atomic<int> seen{0};
  LoopbackServer server([&](const LoopbackRequest& r) {
    if (seen.fetch_add(1) == 1) return LoopbackResponse::close();
    return LoopbackResponse::text(200, r.body, {{"Connection", "keep-alive"}});
  });
  ASSERT_TRUE(server.start());
  CurlTransport transport;
  const auto before = transport_stats().stale_connection_resends;
  for (int i = 0; i < 2; ++i) {
    auto r = transport.send(json_post(server.url("/"), std::to_string(i)), {});
    ASSERT_TRUE(r.has_value()) << i << ": " << r.error().message;
    EXPECT_EQ(r->body, std::to_string(i));
  }
  EXPECT_EQ(seen.load(), 3);  // the dropped copy reached the server
  EXPECT_EQ(transport_stats().stale_connection_resends - before, 1u);
}

TEST(CurlTransport, ConnectionCloseResponseIsHonoured) {
  // "Connection: close" from the server makes the next call open a fresh connection.
  LoopbackServer server([](const LoopbackRequest&) {
    LoopbackResponse response = LoopbackResponse::text(200, "bye");
    response.close_connection = true;
    return response;
  });
  ASSERT_TRUE(server.start());
  CurlTransport transport;
  for (int i = 0; i < 3; ++i) {
    auto r = transport.send(json_post(server.url("/")), {});
    ASSERT_TRUE(r.has_value()) << r.error().message;
    EXPECT_EQ(r->header("connection"), "close");
  }
  EXPECT_EQ(server.connections_accepted(), 3u);
}

TEST(CurlTransport, ServerErrorStatusIsAResponse) {
  // An HTTP 500 with a body is returned as a Response, not as an Error.
  LoopbackServer server([](const LoopbackRequest&) {
    return LoopbackResponse::json(500, R"({"message":"boom"})",
                                  {{"x-amzn-ErrorType", "InternalServerException"}});
  });
  ASSERT_TRUE(server.start());
  CurlTransport transport;
  auto r = transport.send(json_post(server.url("/")), {});
  ASSERT_TRUE(r.has_value()) << r.error().message;
  EXPECT_EQ(r->status, 500);
  EXPECT_EQ(r->body, R"({"message":"boom"})");
  EXPECT_EQ(r->header("x-amzn-errortype"), "InternalServerException");
}

TEST(CurlTransport, LargeBodiesRoundTripIntact) {
  // A 5 MB request body is echoed back byte for byte.
  LoopbackServer server(echo_with_target);
  ASSERT_TRUE(server.start());
  CurlTransport transport;
  std::string body(5 * 1024 * 1024, '\0');
  for (std::size_t i = 0; i < body.size(); ++i) body[i] = static_cast<char>((i * 131) % 251);
  auto r = transport.send(json_post(server.url("/"), body), {});
  ASSERT_TRUE(r.has_value()) << r.error().message;
  EXPECT_EQ(r->body.size(), body.size());
  EXPECT_TRUE(r->body == body);
}

TEST(CurlTransport, CloseMidBodyIsAConnectionResetWithByteCounts) {
  // The server announces 100 bytes, sends 10 and hangs up.
  LoopbackServer server([](const LoopbackRequest&) {
    return LoopbackResponse::partial_then_close(std::string(100, 'z'), 10);
  });
  ASSERT_TRUE(server.start());
  CurlTransport transport;
  auto r = transport.send(json_post(server.url("/")), {});
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().code, ErrorCode::ConnectionReset);
  EXPECT_NE(r.error().message.find("connection closed by peer after 10 of 100 body bytes"),
            std::string::npos)
      << r.error().message;
}

TEST(CurlTransport, CloseWithoutResponseIsAConnectionReset) {
  // A server that hangs up without answering yields ConnectionReset, not a Response.
  LoopbackServer server([](const LoopbackRequest&) { return LoopbackResponse::close(); });
  ASSERT_TRUE(server.start());
  CurlTransport transport;
  auto r = transport.send(json_post(server.url("/")), {});
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().code, ErrorCode::ConnectionReset) << r.error().message;
  EXPECT_NE(r.error().message.find("before any response"), std::string::npos) << r.error().message;
}

TEST(CurlTransport, RefusedConnectionIsConnectionFailed) {
  // A port with no listener fails fast with ConnectionFailed naming the origin.
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ASSERT_EQ(::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr), 0);
  socklen_t len = sizeof addr;
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
  std::string url = "http://127.0.0.1:" + std::to_string(ntohs(addr.sin_port)) + "/x?secret=1";
  CurlTransport transport;
  auto r = transport.send(json_post(url), {});  // the socket is bound but not listening
  ::close(fd);
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().code, ErrorCode::ConnectionFailed) << r.error().message;
  EXPECT_NE(r.error().message.find("http://127.0.0.1:"), std::string::npos);
  EXPECT_EQ(r.error().message.find("secret"), std::string::npos) << r.error().message;
}

TEST(CurlTransport, OversizedResponseIsInvalidResponse) {
  // A body past max_response_bytes is refused instead of buffered without bound.
  LoopbackServer server(
      [](const LoopbackRequest&) { return LoopbackResponse::text(200, std::string(4096, 'q')); });
  ASSERT_TRUE(server.start());
  CurlTransportOptions opts;
  opts.max_response_bytes = 1024;
  CurlTransport transport(opts);
  auto r = transport.send(json_post(server.url("/")), {});
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().code, ErrorCode::InvalidResponse) << r.error().message;
}

TEST(CurlTransport, GarbageResponseIsInvalidResponse) {
  // Bytes that are not an HTTP response yield InvalidResponse, not a Response or a reset.
  LoopbackServer server([](const LoopbackRequest&) {
    LoopbackResponse r;
    r.raw = "SSH-2.0-OpenSSH_9.2\r\nnot http at all\r\n\r\n";
    r.close_connection = true;
    return r;
  });
  ASSERT_TRUE(server.start());
  CurlTransport transport;
  auto r = transport.send(json_post(server.url("/")), {});
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().code, ErrorCode::InvalidResponse) << r.error().message;
}

TEST(CurlTransport, UnsupportedSchemeIsConfigurationInvalid) {
  // Only http and https are spoken; other schemes are a caller error and nothing is opened.
  CurlTransport transport;
  auto r = transport.send(json_post("ftp://127.0.0.1:1/x"), {});
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().code, ErrorCode::ConfigurationInvalid) << r.error().message;
}

TEST(CurlTransport, HeaderWithLineBreakIsRejectedBeforeSending) {
  // Header injection is refused as ConfigurationInvalid and nothing reaches the server.
  LoopbackServer server(echo_with_target);
  ASSERT_TRUE(server.start());
  CurlTransport transport;
  Request r = json_post(server.url("/"));
  r.headers.emplace_back("X-Bad", "a\r\nInjected: 1");
  auto response = transport.send(r, {});
  ASSERT_FALSE(response.has_value());
  EXPECT_EQ(response.error().code, ErrorCode::ConfigurationInvalid);
  EXPECT_EQ(server.requests_served(), 0u);
}

TEST(CurlTransport, LineBreakCheckSeesEveryOffsetAndOnlyCrLfNul) {
  // The check reads eight bytes at a time: a CR, LF or NUL at any offset of short and long
  // values (and names) is refused, while bytes that only resemble them (0x8D, 0x8A, 0x80,
  // 0xFF, 0x0B, 0x0C) pass and reach the server.
  LoopbackServer server(echo_with_target);
  ASSERT_TRUE(server.start());
  CurlTransport transport;
  for (char bad : {'\r', '\n', '\0'}) {
    for (std::size_t length : {1u, 7u, 8u, 9u, 16u, 31u}) {
      for (std::size_t at = 0; at < length; ++at) {
        std::string value(length, 'v');
        value[at] = bad;
        Request r = json_post(server.url("/"));
        r.headers.emplace_back("X-Value", value);
        auto response = transport.send(r, {});
        ASSERT_FALSE(response.has_value()) << int(bad) << " at " << at << " of " << length;
        EXPECT_EQ(response.error().code, ErrorCode::ConfigurationInvalid);
        std::string name = "X-Name-Padding-" + std::string(length, 'n');
        name[at] = bad;
        Request named = json_post(server.url("/"));
        named.headers.emplace_back(name, "v");
        EXPECT_FALSE(transport.send(named, {}).has_value()) << int(bad) << " in name at " << at;
      }
    }
  }
  EXPECT_EQ(server.requests_served(), 0u);
  Request clean = json_post(server.url("/"));
  clean.headers.emplace_back("X-High", std::string("ab\x8D\x8A\x80\xFF\x0B\x0C"
                                                   "cdefghijklmnop"));
  auto response = transport.send(clean, {});
  ASSERT_TRUE(response.has_value()) << describe(response.error());
  EXPECT_EQ(server.requests_served(), 1u);
}

}  // namespace
}  // namespace bedrock::http
