#include "server/access_log.h"

#include <fmt/chrono.h>
#include <fmt/format.h>
#include <unistd.h>

#include <nlohmann/json.hpp>

namespace bedrock::server {

std::string access_log_line(const AccessEntry& e) {
  nlohmann::json j;
  const auto ms =
      std::chrono::duration_cast<std::chrono::milliseconds>(e.finished.time_since_epoch()).count();
  j["ts"] = fmt::format("{:%Y-%m-%dT%H:%M:%S}.{:03}Z",
                        fmt::gmtime(std::chrono::system_clock::to_time_t(e.finished)), ms % 1000);
  j["request_id"] = e.request_id;
  j["method"] = e.method;
  j["route"] = e.route;
  j["status"] = e.status;
  if (!e.key_id.empty()) j["key_id"] = e.key_id;
  j["latency_ms"] = std::chrono::duration<double, std::milli>(e.latency).count();
  const UpstreamSummary& u = e.upstream;
  if (u.calls > 0) {
    j["model"] = u.model.substr(0, 256);
    j["input_tokens"] = u.input_tokens;
    j["output_tokens"] = u.output_tokens;
    j["cost_usd"] = u.cost_usd;
    j["upstream_ms"] = std::chrono::duration<double, std::milli>(u.upstream_time).count();
    j["upstream_calls"] = u.calls;
    if (u.retries > 0) j["retries"] = u.retries;
    if (u.fallbacks > 0) j["fallbacks"] = u.fallbacks;
    if (u.time_to_first_token) {
      j["ttft_ms"] = std::chrono::duration<double, std::milli>(*u.time_to_first_token).count();
    }
    if (!u.error_code.empty()) j["upstream_error"] = u.error_code;
  }
  return j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

void write_access_log(std::string line) {
  line.push_back('\n');
  std::string_view rest = line;
  while (!rest.empty()) {
    const ssize_t n = ::write(STDERR_FILENO, rest.data(), rest.size());
    if (n <= 0) return;  // a closed stderr loses the line, never the request
    rest.remove_prefix(static_cast<std::size_t>(n));
  }
}

}  // namespace bedrock::server
