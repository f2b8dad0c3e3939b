#include "raw_client.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/string_body.hpp>

namespace bedrock::net::testing {
namespace http = boost::beast::http;

RawClient::RawClient(std::uint16_t port, int receive_buffer) {
  fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
  if (fd_ < 0) return;
  if (receive_buffer > 0) {
    ::setsockopt(fd_, SOL_SOCKET, SO_RCVBUF, &receive_buffer, sizeof receive_buffer);
  }
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(port);
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (::connect(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) close();
}

RawClient::~RawClient() { close(); }

void RawClient::close() {
  if (fd_ >= 0) ::close(fd_);
  fd_ = -1;
}

void RawClient::send(std::string_view bytes) {
  while (fd_ >= 0 && !bytes.empty()) {
    const ssize_t n = ::send(fd_, bytes.data(), bytes.size(), MSG_NOSIGNAL);
    if (n <= 0) return;
    bytes.remove_prefix(static_cast<std::size_t>(n));
  }
}

std::size_t RawClient::read_some(std::size_t max, std::chrono::milliseconds limit) {
  if (fd_ < 0 || peer_closed_) return 0;
  pollfd p{fd_, POLLIN, 0};
  if (::poll(&p, 1, static_cast<int>(limit.count())) <= 0) return 0;
  std::string chunk(max, '\0');
  const ssize_t n = ::recv(fd_, chunk.data(), chunk.size(), 0);
  if (n <= 0) {
    peer_closed_ = true;
    return 0;
  }
  received_.append(chunk.data(), static_cast<std::size_t>(n));
  return static_cast<std::size_t>(n);
}

const std::string& RawClient::read_until(const std::function<bool(const std::string&)>& done,
                                         std::chrono::milliseconds limit) {
  const auto deadline = std::chrono::steady_clock::now() + limit;
  while (!done(received_) && !peer_closed_ && fd_ >= 0) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) break;
    read_some(65536, left);
  }
  return received_;
}

bool has_responses(std::string_view bytes, std::size_t count) {
  for (std::size_t i = 0; i < count; ++i) {
    auto parsed = parse_response(bytes);
    if (!parsed) return false;
    bytes.remove_prefix(parsed->consumed);
  }
  return true;
}

std::optional<ParsedResponse> parse_response(std::string_view bytes) {
  http::response_parser<http::string_body> parser;
  parser.eager(true);
  parser.body_limit(64u << 20);
  boost::beast::error_code ec;
  std::size_t used = 0;
  while (used < bytes.size() && !parser.is_done()) {
    const std::size_t n =
        parser.put(boost::asio::buffer(bytes.data() + used, bytes.size() - used), ec);
    if (ec == http::error::need_more) break;
    if (ec) return std::nullopt;
    used += n;
    if (n == 0) break;
  }
  if (!parser.is_done()) return std::nullopt;
  ParsedResponse out;
  const auto& m = parser.get();
  out.status = m.result_int();
  out.content_type = std::string(m[http::field::content_type]);
  out.body = m.body();
  out.keep_alive = m.keep_alive();
  out.consumed = used;
  return out;
}

std::string request(std::string_view method, std::string_view target, std::string_view body) {
  std::string out;
  out.append(method).append(" ").append(target).append(" HTTP/1.1\r\nHost: test\r\n");
  if (!body.empty() || method == "POST") {
    out.append("Content-Length: ").append(std::to_string(body.size())).append("\r\n");
  }
  out.append("\r\n").append(body);
  return out;
}

}  // namespace bedrock::net::testing
