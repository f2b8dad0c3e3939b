// The emulator's connection limits on the wire: an idle or half-sent connection is closed once
// --idle-timeout passes, a busy one is not, and a stalled one is let go after --stall-timeout.
#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <string>
#include <thread>

#include "emulator/latency.h"
#include "emulator_client.h"

namespace bedrock::emulator::testing {
namespace {

using Clock = std::chrono::steady_clock;
using std::chrono::milliseconds;

ServerOptions one_second_limits() {
  ServerOptions o;
  o.auth.enabled = false;
  o.idle_timeout = std::chrono::seconds(1);
  o.stall_timeout = std::chrono::seconds(1);
  return o;
}

// A raw TCP connection with a receive timeout, so a test never hangs.
class RawConnection {
 public:
  explicit RawConnection(std::uint16_t port) : fd_(::socket(AF_INET, SOCK_STREAM, 0)) {
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(port);
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    connected_ = ::connect(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0;
    timeval five_seconds{5, 0};
    ::setsockopt(fd_, SOL_SOCKET, SO_RCVTIMEO, &five_seconds, sizeof five_seconds);
  }
  ~RawConnection() { ::close(fd_); }
  RawConnection(const RawConnection&) = delete;
  RawConnection& operator=(const RawConnection&) = delete;

  bool connected() const { return connected_; }
  bool send_all(const std::string& bytes) {
    return ::send(fd_, bytes.data(), bytes.size(), MSG_NOSIGNAL) ==
           static_cast<ssize_t>(bytes.size());
  }
  // Reads until one response with a Content-Length body has arrived; its status, or 0.
  int read_response() {
    std::string data;
    char chunk[4096];
    while (true) {
      const auto head_end = data.find("\r\n\r\n");
      if (head_end != std::string::npos) {
        const auto at = data.find("Content-Length: ");
        const std::size_t length = at == std::string::npos ? 0 : std::stoul(data.substr(at + 16));
        if (data.size() >= head_end + 4 + length) return std::stoi(data.substr(9, 3));
      }
      const ssize_t n = ::recv(fd_, chunk, sizeof chunk, 0);
      if (n <= 0) return 0;
      data.append(chunk, static_cast<std::size_t>(n));
    }
  }
  // Waits for the peer to close; how long that took, or nullopt when it did not within 5 s.
  std::optional<milliseconds> time_until_closed() {
    const auto start = Clock::now();
    char byte;
    while (true) {
      const ssize_t n = ::recv(fd_, &byte, 1, 0);
      if (n == 0 || (n < 0 && errno == ECONNRESET)) {
        return std::chrono::duration_cast<milliseconds>(Clock::now() - start);
      }
      if (n < 0) return std::nullopt;  // the receive timeout: still open
    }
  }

 private:
  int fd_;
  bool connected_ = false;
};

std::string request_bytes() {
  const std::string body = kClaudeBody;
  return std::string("POST ") + kClaudePath + " HTTP/1.1\r\nHost: 127.0.0.1\r\n" +
         "Content-Type: application/json\r\nContent-Length: " + std::to_string(body.size()) +
         "\r\n\r\n" + body;
}

TEST(EmulatorIdleTimeout, ClosesAConnectionThatSendsNothing) {
  auto emu = start_emulator(one_second_limits());
  RawConnection c(emu->port());
  ASSERT_TRUE(c.connected());
  auto closed_after = c.time_until_closed();
  ASSERT_TRUE(closed_after.has_value()) << "still open after 5 s";
  EXPECT_GE(closed_after->count(), 900);
  EXPECT_LE(closed_after->count(), 3000);
}

TEST(EmulatorIdleTimeout, ClosesAHalfSentRequest) {
  auto emu = start_emulator(one_second_limits());
  RawConnection c(emu->port());
  ASSERT_TRUE(c.send_all(std::string("POST ") + kClaudePath + " HTTP/1.1\r\nHost: x\r\n"));
  auto closed_after = c.time_until_closed();
  ASSERT_TRUE(closed_after.has_value()) << "still open after 5 s";
  EXPECT_LE(closed_after->count(), 3000);
}

// Requests 300 ms apart for 2.4 s, on one connection: each arrives within the limit, so the
// connection outlives the idle timeout twice over; after the last it is closed on time.
TEST(EmulatorIdleTimeout, KeepsABusyConnectionOpen) {
  auto emu = start_emulator(one_second_limits());
  RawConnection c(emu->port());
  for (int i = 0; i < 8; ++i) {
    ASSERT_TRUE(c.send_all(request_bytes())) << "request " << i;
    ASSERT_EQ(c.read_response(), 200) << "request " << i;
    std::this_thread::sleep_for(milliseconds(300));
  }
  auto closed_after = c.time_until_closed();
  ASSERT_TRUE(closed_after.has_value());
  EXPECT_GE(closed_after->count(), 500);  // 1 s after the last response, 300 ms of it slept
  EXPECT_LE(closed_after->count(), 3000);
}

// Configured latency is the emulator's own wait, not the client's idleness: a 1.5 s answer on
// a 1 s idle limit still arrives.
TEST(EmulatorIdleTimeout, ConfiguredLatencyLongerThanTheLimitStillAnswers) {
  auto emu = start_emulator(one_second_limits());
  auto latency = parse_latency("1500");
  ASSERT_TRUE(latency) << latency.error().message;
  emu->behavior().set_latency("", *latency);
  RawConnection c(emu->port());
  const auto start = Clock::now();
  ASSERT_TRUE(c.send_all(request_bytes()));
  EXPECT_EQ(c.read_response(), 200);
  EXPECT_GE(Clock::now() - start, milliseconds(1400));
}

TEST(EmulatorIdleTimeout, LetsGoOfAStalledConnectionAfterTheStallTimeout) {
  auto emu = start_emulator(one_second_limits());
  emu->behavior().schedule_faults("", FaultKind::Stall, 1);
  RawConnection c(emu->port());
  ASSERT_TRUE(c.send_all(request_bytes()));
  auto closed_after = c.time_until_closed();
  ASSERT_TRUE(closed_after.has_value()) << "still open after 5 s";
  EXPECT_GE(closed_after->count(), 900);
  EXPECT_LE(closed_after->count(), 3000);
}

}  // namespace
}  // namespace bedrock::emulator::testing
