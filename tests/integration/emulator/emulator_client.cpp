#include "emulator_client.h"

#include <gtest/gtest.h>

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <cctype>

namespace bedrock::emulator::testing {
namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = beast::http;

std::string Exchange::error_type() const {
  const std::string value = header("x-amzn-errortype");
  return value.substr(0, value.find(':'));
}

Exchange send(const http::Request& request, std::chrono::milliseconds deadline) {
  Exchange out;
  const std::string prefix = "http://127.0.0.1:";
  const std::string rest = request.url.substr(prefix.size());
  const auto slash = rest.find('/');
  const std::string port = rest.substr(0, slash);
  const std::string target = rest.substr(slash);

  asio::io_context ioc;
  beast::tcp_stream stream(ioc);
  beast::error_code ec;
  stream.expires_after(deadline);
  stream.connect(asio::ip::tcp::endpoint(asio::ip::make_address("127.0.0.1"),
                                         static_cast<unsigned short>(std::stoi(port))),
                 ec);
  if (ec) return out;
  out.connected = true;
  bhttp::request<bhttp::string_body> req{
      request.method == "GET" ? bhttp::verb::get : bhttp::verb::post, target, 11};
  bool has_host = false;
  for (const auto& [name, value] : request.headers) {
    req.set(name, value);
    if (beast::iequals(name, "host")) has_host = true;
  }
  if (!has_host) req.set(bhttp::field::host, "127.0.0.1:" + port);
  req.body() = request.body;
  req.prepare_payload();
  bhttp::write(stream, req, ec);
  if (ec) return out;

  // Read with async + run_for so a silent server (stall) ends in timed_out, not a hang.
  beast::flat_buffer buffer;
  bhttp::response_parser<bhttp::string_body> parser;
  parser.body_limit(64 * 1024 * 1024);
  bool done = false;
  bhttp::async_read(stream, buffer, parser, [&](beast::error_code read_ec, std::size_t) {
    done = true;
    ec = read_ec;
  });
  ioc.run_for(deadline + std::chrono::milliseconds(200));
  if (!done) {
    out.timed_out = true;
    return out;
  }
  out.raw_bytes = buffer.size();
  if (ec == beast::error::timeout) {
    out.timed_out = true;
  } else if (ec) {
    out.closed_early = true;
  }
  if (parser.is_header_done()) {
    const auto& res = parser.get();
    out.status = res.result_int();
    for (const auto& field : res) {
      std::string name(field.name_string());
      for (auto& ch : name) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
      out.headers[name] = std::string(field.value());
    }
    out.body = res.body();
  }
  return out;
}

http::Request post(std::uint16_t port, const std::string& path, std::string body) {
  http::Request r;
  r.method = "POST";
  r.url = "http://127.0.0.1:" + std::to_string(port) + path;
  r.headers = {{"Content-Type", "application/json"}};
  r.body = std::move(body);
  return r;
}

http::Request get(std::uint16_t port, const std::string& path) {
  http::Request r;
  r.method = "GET";
  r.url = "http://127.0.0.1:" + std::to_string(port) + path;
  return r;
}

std::unique_ptr<Emulator> start_emulator(ServerOptions options, const Clock& clock) {
  options.port = 0;
  options.admin_port = 0;
  if (options.threads == 0) options.threads = 2;
  auto emulator = std::make_unique<Emulator>(std::move(options), clock);
  auto st = emulator->start();
  EXPECT_TRUE(st) << (st ? "" : st.error().message);
  return emulator;
}

}  // namespace bedrock::emulator::testing
