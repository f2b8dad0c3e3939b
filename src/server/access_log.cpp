#include "server/access_log.h"

#include <fmt/chrono.h>
#include <fmt/format.h>

#include <ctime>
#include <iterator>

#include "bedrock/core/json_text.h"
#include "bedrock/core/utf8.h"
#include "bedrock/core/utf8_repair.h"

namespace bedrock::server {

namespace {

// Strings from outside (a model name from the request) may hold invalid UTF-8; the line must
// still be one valid JSON object, so those are repaired first.
void append_string(std::string& out, std::string_view text) {
  if (is_valid_utf8(text)) return append_json_string(out, text);
  append_json_string(out, replace_invalid_utf8(text));
}

void append_field(std::string& out, std::string_view name) {
  out.push_back(',');
  append_json_string(out, name);
  out.push_back(':');
}

void append_ms(std::string& out, std::chrono::nanoseconds d) {
  fmt::format_to(std::back_inserter(out), "{:.3f}",
                 std::chrono::duration<double, std::milli>(d).count());
}

// "2026-12-04T05:06:07" for `t`, formatted once per second per thread (calendar formatting
// was most of the line's cost).
const std::string& second_text(std::time_t t) {
  thread_local std::time_t cached_second = -1;
  thread_local std::string cached_text;
  if (t != cached_second) {
    cached_text = fmt::format("{:%Y-%m-%dT%H:%M:%S}", fmt::gmtime(t));
    cached_second = t;
  }
  return cached_text;
}

}  // namespace

// Written field by field (a DOM and its dump were a tenth of the server's time per request).
std::string access_log_line(const AccessEntry& e) {
  std::string out;
  out.reserve(384);
  const auto ms =
      std::chrono::duration_cast<std::chrono::milliseconds>(e.finished.time_since_epoch()).count();
  out += "{\"ts\":\"";
  out += second_text(std::chrono::system_clock::to_time_t(e.finished));
  fmt::format_to(std::back_inserter(out), ".{:03}Z\"", ms % 1000);
  append_field(out, "request_id");
  append_string(out, e.request_id);
  append_field(out, "method");
  append_string(out, e.method);
  append_field(out, "route");
  append_string(out, e.route);
  append_field(out, "status");
  fmt::format_to(std::back_inserter(out), "{}", e.status);
  if (!e.key_id.empty()) {
    append_field(out, "key_id");
    append_string(out, e.key_id);
  }
  append_field(out, "latency_ms");
  append_ms(out, e.latency);
  const UpstreamSummary& u = e.upstream;
  if (u.calls > 0) {
    append_field(out, "model");
    append_string(out, utf8_prefix(u.model, 256));
    fmt::format_to(
        std::back_inserter(out),
        ",\"input_tokens\":{},\"output_tokens\":{},\"cost_usd\":{},\"upstream_calls\":{}",
        u.input_tokens, u.output_tokens, u.cost_usd, u.calls);
    append_field(out, "upstream_ms");
    append_ms(out, u.upstream_time);
    if (u.retries > 0) fmt::format_to(std::back_inserter(out), ",\"retries\":{}", u.retries);
    if (u.fallbacks > 0) fmt::format_to(std::back_inserter(out), ",\"fallbacks\":{}", u.fallbacks);
    if (u.time_to_first_token) {
      append_field(out, "ttft_ms");
      append_ms(out, *u.time_to_first_token);
    }
    if (!u.error_code.empty()) {
      append_field(out, "upstream_error");
      append_string(out, u.error_code);
    }
  }
  out.push_back('}');
  return out;
}

}  // namespace bedrock::server
