#include "integration/server/api_test_support.h"

#include <boost/beast/http.hpp>
#include <filesystem>
#include <stdexcept>

#include "bedrock/credentials/static_provider.h"

namespace bedrock::server::testing {
namespace {

constexpr const char* kAccessKey = "AKIDEMULATOR";
constexpr const char* kSecret = "emulator/secret/key/0123456789abcdef";

// Status, content type and x-request-id of the response head in `bytes`.
void read_head(std::string_view bytes, Answer& a) {
  namespace http = boost::beast::http;
  http::response_parser<http::empty_body> parser;
  parser.skip(true);
  boost::beast::error_code ec;
  parser.put(boost::asio::buffer(bytes.data(), bytes.size()), ec);
  if (!parser.is_header_done()) return;
  const auto& head = parser.get();
  a.status = head.result_int();
  if (auto it = head.find(http::field::content_type); it != head.end())
    a.content_type = std::string(it->value());
  if (auto it = head.find("x-request-id"); it != head.end())
    a.request_id = std::string(it->value());
}

}  // namespace

bool binaries_built() {
  return std::filesystem::exists(std::string(BEDROCK_BIN_DIR) + "/bedrock-emulator");
}

std::vector<SseEvent> parse_events(std::string_view body) {
  std::vector<SseEvent> events;
  std::size_t pos = 0;
  for (;;) {
    const std::size_t end = body.find("\n\n", pos);
    if (end == std::string_view::npos) break;
    const std::string_view block = body.substr(pos, end - pos);
    pos = end + 2;
    SseEvent e;
    std::string data;
    std::size_t at = 0;
    while (at <= block.size()) {
      std::size_t nl = block.find('\n', at);
      if (nl == std::string_view::npos) nl = block.size();
      const std::string_view line = block.substr(at, nl - at);
      at = nl + 1;
      if (line.rfind("event: ", 0) == 0) e.name = std::string(line.substr(7));
      if (line.rfind("data: ", 0) == 0) {
        if (!data.empty()) data += '\n';
        data += line.substr(6);
      }
    }
    e.data = nlohmann::json::parse(data, nullptr, false);
    events.push_back(std::move(e));
  }
  return events;
}

ApiHarness::ApiHarness(std::vector<std::string> emulator_flags,
                       std::chrono::milliseconds request_timeout)
    : emulator_([&] {
        emulator_flags.insert(emulator_flags.end(), {"--admin-port", "0", "--credentials",
                                                     std::string(kAccessKey) + ":" + kSecret});
        return emulator_flags;
      }()) {
  ServiceOptions o;
  o.server.host = "127.0.0.1";
  o.server.port = 0;
  o.server.threads = 1;
  o.server.access_log = false;
  o.server.request_timeout = request_timeout;
  o.client.region = "us-east-1";
  o.client.endpoint_url = emulator_.url();
  auth::Credentials c;
  c.access_key_id = kAccessKey;
  c.secret_access_key = kSecret;
  o.client.credentials = std::make_shared<credentials::StaticCredentialsProvider>(c);
  auto s = Service::create(std::move(o));
  if (!s) throw std::runtime_error(describe(s.error()));
  service_ = std::move(*s);
  if (auto ok = service_->start(); !ok) throw std::runtime_error(describe(ok.error()));
}

ApiHarness::~ApiHarness() {
  if (service_) service_->stop(std::chrono::seconds(2));
}

Answer ApiHarness::post(std::string_view path, const nlohmann::json& body,
                        std::chrono::milliseconds limit) {
  return exchange(net::testing::request("POST", path, body.dump()), limit);
}

Answer ApiHarness::get(std::string_view path, std::chrono::milliseconds limit) {
  return exchange(net::testing::request("GET", path), limit);
}

Answer ApiHarness::exchange(const std::string& req, std::chrono::milliseconds limit) {
  net::testing::RawClient client(port());
  client.send(req);
  client.read_until(
      [](const std::string& bytes) { return net::testing::parse_response(bytes).has_value(); },
      limit);
  Answer a;
  a.raw = client.received();
  read_head(a.raw, a);
  if (auto parsed = net::testing::parse_response(a.raw)) {
    a.complete = true;
    a.status = parsed->status;
    a.content_type = parsed->content_type;
    if (a.content_type.rfind("text/event-stream", 0) == 0) {
      a.events = parse_events(parsed->body);
    } else {
      a.json = nlohmann::json::parse(parsed->body, nullptr, false);
    }
  }
  return a;
}

unsigned ApiHarness::admin(std::string_view path, const nlohmann::json& body) {
  net::testing::RawClient client(static_cast<std::uint16_t>(emulator_.admin_port()));
  client.send(net::testing::request("POST", path, body.dump()));
  client.read_until(
      [](const std::string& bytes) { return net::testing::parse_response(bytes).has_value(); },
      std::chrono::seconds(5));
  auto parsed = net::testing::parse_response(client.received());
  return parsed ? parsed->status : 0;
}

nlohmann::json ApiHarness::admin_counters() {
  net::testing::RawClient client(static_cast<std::uint16_t>(emulator_.admin_port()));
  client.send(net::testing::request("GET", "/admin/counters"));
  client.read_until(
      [](const std::string& bytes) { return net::testing::parse_response(bytes).has_value(); },
      std::chrono::seconds(5));
  auto parsed = net::testing::parse_response(client.received());
  return parsed ? nlohmann::json::parse(parsed->body, nullptr, false) : nlohmann::json();
}

}  // namespace bedrock::server::testing
