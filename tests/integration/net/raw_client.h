// A blocking loopback client for the shared server's tests: raw bytes out, raw bytes in, every
// read bounded by a deadline, and Beast's parser to cut whole responses out of what arrived.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

namespace bedrock::net::testing {

class RawClient {
 public:
  // `receive_buffer` > 0 shrinks SO_RCVBUF before connecting (a slow reader's small window).
  explicit RawClient(std::uint16_t port, int receive_buffer = 0);
  ~RawClient();
  RawClient(const RawClient&) = delete;
  RawClient& operator=(const RawClient&) = delete;

  bool connected() const { return fd_ >= 0; }
  void send(std::string_view bytes);
  // Reads until `done(all bytes so far)` holds, the peer closes, or `limit` passes. Returns
  // everything received so far (across calls).
  const std::string& read_until(const std::function<bool(const std::string&)>& done,
                                std::chrono::milliseconds limit);
  // Reads at most `max` bytes waiting up to `limit`; returns how many arrived.
  std::size_t read_some(std::size_t max, std::chrono::milliseconds limit);
  bool peer_closed() const { return peer_closed_; }
  const std::string& received() const { return received_; }
  void close();

 private:
  int fd_ = -1;
  bool peer_closed_ = false;
  std::string received_;
};

struct ParsedResponse {
  unsigned status = 0;
  std::string content_type;
  std::string body;  // chunked bodies decoded
  bool keep_alive = false;
  std::size_t consumed = 0;  // bytes of the input this response took
};

// The first whole response in `bytes`, or nullopt while it is incomplete.
std::optional<ParsedResponse> parse_response(std::string_view bytes);

// Whether `bytes` hold one whole response.
inline bool one_response(const std::string& bytes) { return parse_response(bytes).has_value(); }

// Whether `bytes` holds at least `count` whole responses (a pipelining client's answers).
bool has_responses(std::string_view bytes, std::size_t count);

// The request line and headers of a small request with an optional body.
std::string request(std::string_view method, std::string_view target, std::string_view body = {});

}  // namespace bedrock::net::testing
