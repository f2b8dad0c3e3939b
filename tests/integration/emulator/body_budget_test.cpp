// Bodies are read before authentication, so the memory they take is bounded over all
// connections together, not only per connection (issue 11).
#include <gtest/gtest.h>

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/write.hpp>
#include <chrono>
#include <string>
#include <thread>

#include "emulator_client.h"

namespace bedrock::emulator::testing {
namespace {
namespace asio = boost::asio;
using tcp = asio::ip::tcp;

std::string head(std::size_t content_length) {
  return std::string("POST ") + kClaudePath +
         " HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: " +
         std::to_string(content_length) + "\r\n\r\n";
}

// Reads until the peer closes (or 5 s pass) and returns what arrived.
std::string read_all(tcp::socket& socket) {
  std::string out;
  char buffer[4096];
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
  socket.non_blocking(true);
  while (std::chrono::steady_clock::now() < deadline) {
    boost::system::error_code ec;
    const std::size_t n = socket.read_some(asio::buffer(buffer), ec);
    if (ec == asio::error::would_block) {
      if (out.find("\r\n\r\n") != std::string::npos && out.find("}") != std::string::npos) break;
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
      continue;
    }
    if (ec) break;
    out.append(buffer, n);
  }
  return out;
}

// While one connection has announced a body that fills the budget, another body is answered
// 503 without being read; once the first request is answered its share is free again.
TEST(EmulatorBodyBudget, SharedAcrossConnections) {
  ServerOptions options;
  options.auth.enabled = false;
  options.max_pending_body_bytes = 4096;
  auto emu = start_emulator(options);
  const std::string body = kClaudeBody;
  ASSERT_LT(body.size(), 4096u);
  const std::size_t hold = 4096 - body.size() + 1;  // with one more body, over the budget

  asio::io_context ioc;
  tcp::socket holder(ioc);
  holder.connect(tcp::endpoint(asio::ip::make_address("127.0.0.1"), emu->port()));
  const std::string held_body = std::string(hold - 1, ' ') + "{";  // completed below
  asio::write(holder, asio::buffer(head(hold) + held_body.substr(0, 10)));
  std::this_thread::sleep_for(std::chrono::milliseconds(200));  // the head is read

  auto refused = send(post(emu->port(), kClaudePath, body));
  EXPECT_EQ(refused.status, 503);
  EXPECT_EQ(refused.error_type(), "ServiceUnavailableException");

  asio::write(holder, asio::buffer(held_body.substr(10)));
  const std::string answer = read_all(holder);
  EXPECT_EQ(answer.substr(0, 12), "HTTP/1.1 400") << answer;  // a body of spaces and "{"

  auto accepted = send(post(emu->port(), kClaudePath, body));
  EXPECT_EQ(accepted.status, 200) << accepted.body;
}

}  // namespace
}  // namespace bedrock::emulator::testing
