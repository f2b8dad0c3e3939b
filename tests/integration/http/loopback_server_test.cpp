// The loopback server itself, driven over raw sockets so its behaviour does not depend on the
// transport it is used to test.
#include "fakes/loopback_server.h"

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <string>

namespace bedrock::testing {
namespace {

using namespace std::chrono_literals;

// A blocking client socket with a receive timeout so a broken server fails the test quickly.
class RawClient {
 public:
  explicit RawClient(std::uint16_t port) {
    fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    addr.sin_port = htons(port);
    connected_ = ::connect(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0;
  }
  ~RawClient() { ::close(fd_); }
  bool connected() const { return connected_; }
  void send(std::string_view data) {
    ASSERT_EQ(::send(fd_, data.data(), data.size(), 0), static_cast<ssize_t>(data.size()));
  }
  // Reads until `until` appears, the peer closes, or `timeout` passes.
  std::string read_until(std::string_view until, std::chrono::milliseconds timeout = 2000ms) {
    std::string out;
    auto end = std::chrono::steady_clock::now() + timeout;
    while (out.find(until) == std::string::npos) {
      auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
          end - std::chrono::steady_clock::now());
      if (left.count() <= 0) break;
      pollfd p{fd_, POLLIN, 0};
      if (::poll(&p, 1, static_cast<int>(left.count())) <= 0) break;
      char buf[4096];
      ssize_t n = ::recv(fd_, buf, sizeof buf, 0);
      if (n <= 0) {
        closed_ = true;
        break;
      }
      out.append(buf, static_cast<std::size_t>(n));
    }
    return out;
  }
  bool closed() const { return closed_; }

 private:
  int fd_ = -1;
  bool connected_ = false;
  bool closed_ = false;
};

TEST(LoopbackServer, ServesKeepAliveRequestsOnOneConnection) {
  // Two requests on one socket reach the handler with their raw targets and bodies.
  LoopbackServer server([](const LoopbackRequest& r) {
    return LoopbackResponse::text(200, r.method + " " + r.target + " " + r.body);
  });
  ASSERT_TRUE(server.start());
  RawClient c(server.port());
  ASSERT_TRUE(c.connected());
  c.send("POST /a%2Fb?x=1 HTTP/1.1\r\nHost: h\r\nContent-Length: 3\r\n\r\nabc");
  EXPECT_NE(c.read_until("abc").find("POST /a%2Fb?x=1 abc"), std::string::npos);
  c.send("GET /second HTTP/1.1\r\nHost: h\r\nX-Test:  padded  \r\n\r\n");
  std::string second = c.read_until("/second ");
  EXPECT_NE(second.find("HTTP/1.1 200 OK"), std::string::npos);
  EXPECT_NE(second.find("Content-Length: 12"), std::string::npos);
  EXPECT_EQ(server.connections_accepted(), 1u);
  EXPECT_EQ(server.requests_served(), 2u);
  auto log = server.requests();
  ASSERT_EQ(log.size(), 2u);
  EXPECT_EQ(log[1].header("x-test").value_or(""), "padded");
  EXPECT_EQ(log[0].connection_id, log[1].connection_id);
}

TEST(LoopbackServer, DecodesChunkedRequestBodies) {
  // A chunked body (with an extension and a trailer) arrives de-chunked.
  LoopbackServer server(
      [](const LoopbackRequest& r) { return LoopbackResponse::text(200, r.body); });
  ASSERT_TRUE(server.start());
  RawClient c(server.port());
  c.send(
      "POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n5;ext=1\r\nhello\r\n6\r\n "
      "world\r\n0\r\nX-T: 1\r\n\r\n");
  EXPECT_NE(c.read_until("hello world").find("hello world"), std::string::npos);
  ASSERT_EQ(server.requests().size(), 1u);
  EXPECT_EQ(server.requests()[0].body, "hello world");
}

TEST(LoopbackServer, CloseActionHangsUpWithoutResponse) {
  // Close sends no bytes at all and ends the connection.
  LoopbackServer server([](const LoopbackRequest&) { return LoopbackResponse::close(); });
  ASSERT_TRUE(server.start());
  RawClient c(server.port());
  c.send("GET / HTTP/1.1\r\n\r\n");
  EXPECT_EQ(c.read_until("HTTP"), "");
  EXPECT_TRUE(c.closed());
}

TEST(LoopbackServer, PartialBodyThenCloseSendsPrefixOnly) {
  // Headers announce the full length, only the first bytes follow, then the socket closes.
  LoopbackServer server([](const LoopbackRequest&) {
    return LoopbackResponse::partial_then_close(std::string(100, 'x'), 10);
  });
  ASSERT_TRUE(server.start());
  RawClient c(server.port());
  c.send("GET / HTTP/1.1\r\n\r\n");
  std::string got = c.read_until("never");
  EXPECT_TRUE(c.closed());
  EXPECT_NE(got.find("Content-Length: 100"), std::string::npos);
  EXPECT_EQ(got.substr(got.find("\r\n\r\n") + 4), std::string(10, 'x'));
}

TEST(LoopbackServer, StopIsPromptWhileStallingAndDelaying) {
  // A stalled and a long-delayed connection do not hold up stop().
  LoopbackServer server([](const LoopbackRequest& r) {
    if (r.target == "/stall") return LoopbackResponse::stall();
    return LoopbackResponse::delayed(60s, LoopbackResponse::text(200, "late"));
  });
  ASSERT_TRUE(server.start());
  RawClient a(server.port());
  RawClient b(server.port());
  a.send("GET /stall HTTP/1.1\r\n\r\n");
  b.send("GET /delay HTTP/1.1\r\n\r\n");
  ASSERT_TRUE(server.wait_for_requests(2, 2s));
  auto start = std::chrono::steady_clock::now();
  server.stop();
  EXPECT_LT(std::chrono::steady_clock::now() - start, 1s);
  EXPECT_EQ(server.active_connections(), 0u);
}

TEST(LoopbackServer, SlowBodyArrivesInPieces) {
  // A slow body takes at least (chunks - 1) intervals and arrives complete.
  LoopbackServer server(
      [](const LoopbackRequest&) { return LoopbackResponse::slow("abcdef", 2, 30ms); });
  ASSERT_TRUE(server.start());
  RawClient c(server.port());
  auto start = std::chrono::steady_clock::now();
  c.send("GET / HTTP/1.1\r\n\r\n");
  std::string got = c.read_until("abcdef");
  EXPECT_GE(std::chrono::steady_clock::now() - start, 60ms);
  EXPECT_NE(got.find("abcdef"), std::string::npos);
}

}  // namespace
}  // namespace bedrock::testing
