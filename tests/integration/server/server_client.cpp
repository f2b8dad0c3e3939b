#include "server_client.h"

#include <gtest/gtest.h>

#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/string_body.hpp>

#include "bedrock/credentials/static_provider.h"
#include "integration/net/raw_client.h"

namespace bedrock::server::testing {

namespace http = boost::beast::http;

std::string request_bytes(std::string_view method, std::string_view target, std::string_view body,
                          const Headers& headers) {
  std::string out;
  out.append(method).append(" ").append(target).append(" HTTP/1.1\r\nHost: test\r\n");
  bool has_type = false;
  for (const auto& [name, value] : headers) {
    std::string lower = name;
    for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    if (lower == "content-type") has_type = true;
    out.append(name).append(": ").append(value).append("\r\n");
  }
  if (!body.empty() && !has_type) out.append("Content-Type: application/json\r\n");
  if (!body.empty() || method == "POST") {
    out.append("Content-Length: ").append(std::to_string(body.size())).append("\r\n");
  }
  out.append("\r\n").append(body);
  return out;
}

std::optional<Reply> parse_reply(std::string_view bytes, std::size_t* consumed) {
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
  const auto& m = parser.get();
  Reply r;
  r.status = m.result_int();
  for (const auto& field : m) {
    std::string name(field.name_string());
    for (char& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    r.headers[name] = std::string(field.value());
  }
  r.body = m.body();
  if (consumed) *consumed = used;
  return r;
}

Reply exchange(std::uint16_t port, const std::string& bytes, std::chrono::milliseconds limit) {
  net::testing::RawClient client(port);
  Reply out;
  if (!client.connected()) return out;
  client.send(bytes);
  const std::string& got = client.read_until(
      [](const std::string& so_far) { return parse_reply(so_far).has_value(); }, limit);
  if (auto r = parse_reply(got)) out = std::move(*r);
  out.peer_closed = client.peer_closed();
  return out;
}

ServiceOptions loopback_options(const std::string& endpoint_url) {
  ServiceOptions o;
  o.server.host = "127.0.0.1";
  o.server.port = 0;
  o.server.threads = 2;
  o.server.access_log = false;
  o.client.region = "us-east-1";
  o.client.endpoint_url = endpoint_url;
  auth::Credentials c;
  c.access_key_id = "AKIDEMULATOR";
  c.secret_access_key = "emulator/secret/key/0123456789abcdef";
  o.client.credentials = std::make_shared<credentials::StaticCredentialsProvider>(c);
  return o;
}

std::unique_ptr<Service> start_service(ServiceOptions options) {
  auto created = Service::create(std::move(options));
  EXPECT_TRUE(created.has_value()) << (created ? "" : created.error().message);
  if (!created) return nullptr;
  auto started = (*created)->start();
  EXPECT_TRUE(started.has_value()) << (started ? "" : started.error().message);
  if (!started) return nullptr;
  return std::move(*created);
}

}  // namespace bedrock::server::testing
