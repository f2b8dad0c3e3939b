#include "stream_client.h"

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

namespace bedrock::emulator::testing {
namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = beast::http;

namespace {

// Appends arrived bytes and stamps every message that they complete.
class Stamper {
 public:
  Stamper(TimedStream& out, std::chrono::steady_clock::time_point start)
      : out_(out), start_(start) {}
  void add(std::string_view bytes) {
    out_.body.append(bytes);
    const auto now = Millis(std::chrono::steady_clock::now() - start_);
    const std::string& b = out_.body;
    while (b.size() - complete_ >= 4) {
      const auto byte = [&](std::size_t i) { return std::uint8_t(b[complete_ + i]); };
      const std::size_t total = (std::size_t(byte(0)) << 24) | (std::size_t(byte(1)) << 16) |
                                (std::size_t(byte(2)) << 8) | std::size_t(byte(3));
      if (total < 16 || b.size() - complete_ < total) break;
      complete_ += total;
      out_.message_at.push_back(now);
    }
  }

 private:
  TimedStream& out_;
  std::chrono::steady_clock::time_point start_;
  std::size_t complete_ = 0;
};

}  // namespace

TimedStream stream_call(std::uint16_t port, const std::string& path, const std::string& body,
                        std::chrono::milliseconds deadline) {
  TimedStream out;
  asio::io_context ioc;
  asio::ip::tcp::socket socket(ioc);
  beast::error_code ec;
  socket.connect({asio::ip::make_address("127.0.0.1"), port}, ec);
  if (ec) return out;
  bhttp::request<bhttp::string_body> req{bhttp::verb::post, path, 11};
  req.set(bhttp::field::host, "127.0.0.1:" + std::to_string(port));
  req.set(bhttp::field::content_type, "application/json");
  req.set(bhttp::field::accept, "application/vnd.amazon.eventstream");
  req.body() = body;
  req.prepare_payload();
  bhttp::write(socket, req, ec);
  if (ec) return out;
  const auto start = std::chrono::steady_clock::now();

  Stamper stamper(out, start);
  beast::flat_buffer buffer;
  bhttp::response_parser<bhttp::string_body> parser;
  parser.body_limit(64 * 1024 * 1024);
  // Each chunk as it is parsed, so a message's time is when its bytes came off the socket.
  auto on_chunk = [&](std::uint64_t, beast::string_view data, beast::error_code&) {
    stamper.add(std::string_view(data.data(), data.size()));
    return data.size();
  };
  parser.on_chunk_body(on_chunk);

  bool done = false;
  std::function<void(beast::error_code, std::size_t)> on_read;
  on_read = [&](beast::error_code read_ec, std::size_t) {
    if (parser.is_header_done() && out.status == 0) {
      out.head_at = Millis(std::chrono::steady_clock::now() - start);
      out.status = parser.get().result_int();
      out.chunked = parser.get().chunked();
    }
    if (read_ec || parser.is_done()) {
      done = true;
      ec = read_ec;
      return;
    }
    bhttp::async_read_some(socket, buffer, parser, on_read);
  };
  bhttp::async_read_some(socket, buffer, parser, on_read);
  ioc.run_for(deadline);
  if (!done) {
    out.timed_out = true;
  } else if (ec) {
    out.closed_early = true;
  } else {
    out.completed = true;
  }
  if (!out.chunked && parser.is_header_done()) stamper.add(parser.get().body());
  out.read = bedrock::testing::read_event_stream(out.body);
  return out;
}

}  // namespace bedrock::emulator::testing
