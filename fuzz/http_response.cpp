// The HTTP/1.1 response parsing of the curl transport's direct path (Boost.Beast behind
// DirectConnection::receive): the input is the whole byte stream a server sends back. A
// loopback server in this process answers each request with the input and closes, so the real
// transport code runs end to end (connect, request head, parse, limits, errors).
// Properties: send() never throws or crashes, and a response it accepts has a status and a body
// within the configured limit.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <mutex>
#include <string>
#include <thread>

#include "bedrock/http/curl_transport.h"
#include "fuzz_check.h"

namespace {

constexpr std::size_t kMaxResponseBytes = 1 << 20;

class LoopbackServer {
 public:
  LoopbackServer() {
    listener_ = ::socket(AF_INET, SOCK_STREAM, 0);
    FUZZ_CHECK(listener_ >= 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    addr.sin_port = 0;
    FUZZ_CHECK(::bind(listener_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0);
    FUZZ_CHECK(::listen(listener_, 16) == 0);
    socklen_t len = sizeof addr;
    FUZZ_CHECK(::getsockname(listener_, reinterpret_cast<sockaddr*>(&addr), &len) == 0);
    port_ = ntohs(addr.sin_port);
    std::thread([this] { serve(); }).detach();  // lives as long as the process
  }

  std::uint16_t port() const { return port_; }

  void set_reply(std::string_view bytes) {
    std::lock_guard lock(mu_);
    reply_.assign(bytes);
  }

 private:
  void serve() {
    for (;;) {
      const int fd = ::accept(listener_, nullptr, nullptr);
      if (fd < 0) continue;
      read_request_head(fd);
      std::string reply;
      {
        std::lock_guard lock(mu_);
        reply = reply_;
      }
      for (std::size_t sent = 0; sent < reply.size();) {
        const ssize_t n = ::send(fd, reply.data() + sent, reply.size() - sent, MSG_NOSIGNAL);
        if (n <= 0) break;
        sent += static_cast<std::size_t>(n);
      }
      ::shutdown(fd, SHUT_WR);
      char sink[4096];
      while (::recv(fd, sink, sizeof sink, 0) > 0) {
      }
      ::close(fd);
    }
  }

  // The transport sends a bodiless GET, so the request ends at its blank line.
  static void read_request_head(int fd) {
    std::string head;
    char buffer[4096];
    while (head.find("\r\n\r\n") == std::string::npos) {
      const ssize_t n = ::recv(fd, buffer, sizeof buffer, 0);
      if (n <= 0) return;
      head.append(buffer, static_cast<std::size_t>(n));
    }
  }

  int listener_ = -1;
  std::uint16_t port_ = 0;
  std::mutex mu_;
  std::string reply_;
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static LoopbackServer server;
  static bedrock::http::CurlTransport transport([] {
    bedrock::http::CurlTransportOptions options;
    options.max_idle_handles = 0;  // every input gets a fresh connection
    options.max_response_bytes = kMaxResponseBytes;
    return options;
  }());
  server.set_reply(bedrock::fuzz::as_text(data, size));
  bedrock::http::Request request;
  request.method = "GET";
  request.url = "http://127.0.0.1:" + std::to_string(server.port()) + "/model/m/invoke";
  bedrock::http::CallOptions options;
  options.read_timeout = std::chrono::milliseconds(2000);
  options.deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
  auto response = transport.send(request, options);
  if (response) {
    FUZZ_CHECK(response->status >= 100 && response->status <= 999);
    FUZZ_CHECK(response->body.size() <= kMaxResponseBytes);
  } else {
    FUZZ_CHECK(!response.error().message.empty());
  }
  return 0;
}
