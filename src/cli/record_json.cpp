#include "record_json.h"

#include <fmt/format.h>

#include <chrono>
#include <ctime>

#include "bedrock/core/log.h"
#include "bedrock/core/utf8_repair.h"

namespace bedrock::cli {
namespace {

std::string iso8601(WallTime t) {
  auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(t.time_since_epoch()).count();
  std::time_t secs = static_cast<std::time_t>(ms / 1000);
  std::tm tm{};
  gmtime_r(&secs, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%S", &tm);
  return fmt::format("{}.{:03}Z", buf, ms % 1000);
}

double millis(std::chrono::microseconds us) { return static_cast<double>(us.count()) / 1000.0; }

}  // namespace

nlohmann::json to_json(const runtime::InvocationRecord& r) {
  nlohmann::json attempts = nlohmann::json::array();
  for (const auto& a : r.attempt_log) {
    attempts.push_back({{"model_id", a.model_id},
                        {"latency_ms", millis(a.latency)},
                        {"http_status", a.http_status},
                        {"error_code", a.error_code},
                        {"request_id", a.request_id}});
  }
  nlohmann::json skipped = nlohmann::json::array();
  for (const auto& s : r.skipped)
    skipped.push_back({{"model_id", s.model_id}, {"reason", s.reason}});
  return {{"request_id", r.request_id},
          {"model_requested", r.model_requested},
          {"model_used", r.model_used},
          {"profile_used", r.profile_used},
          {"attempts", r.attempts},
          {"input_tokens", r.input_tokens},
          {"output_tokens", r.output_tokens},
          {"tokens_reported", r.tokens_reported},
          {"cache_read_input_tokens", r.cache_read_input_tokens},
          {"cache_write_input_tokens", r.cache_write_input_tokens},
          {"cache_write_1h_input_tokens", r.cache_write_1h_input_tokens},
          {"structured_output", r.structured_output},
          {"latency_ms", millis(r.latency)},
          {"cost_usd", r.cost_usd},
          {"outcome", r.outcome == runtime::Outcome::Success ? "success" : "failure"},
          {"error_code", r.error_code},
          {"timestamp", iso8601(r.timestamp)},
          {"attempt_log", attempts},
          {"skipped_models", skipped}};
}

// JSON text the decoders produced (valid by construction); null when empty.
nlohmann::json embedded(const std::string& text) {
  if (text.empty()) return nullptr;
  auto parsed = nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false);
  return parsed.is_discarded() ? nlohmann::json(text) : parsed;
}

nlohmann::json tool_calls_json(const std::vector<models::ToolUse>& calls) {
  nlohmann::json out = nlohmann::json::array();
  for (const auto& call : calls) {
    out.push_back({{"id", call.id}, {"name", call.name}, {"input", embedded(call.input_json)}});
  }
  return out;
}

nlohmann::json to_json(const models::Completion& c) {
  return {{"text", c.text},
          {"stop_reason", std::string(models::to_string(c.stop_reason))},
          {"raw_stop_reason", c.raw_stop_reason},
          {"input_tokens", c.usage.input_tokens},
          {"output_tokens", c.usage.output_tokens},
          {"reasoning", c.reasoning},
          {"tool_calls", tool_calls_json(c.tool_calls)},
          {"additional_response_fields", embedded(c.additional_response_fields)},
          {"trace", embedded(c.trace)}};
}

nlohmann::json to_json(const Error& e) {
  return {{"code", std::string(to_string(e.code))},
          {"message", user_message(e)},
          // The detail quotes peers and the user's settings: secrets (URL passwords included)
          // are masked as in the logs, and the text is made valid UTF-8 for the JSON.
          {"detail", replace_invalid_utf8(redact(e.message))},
          {"http_status", e.http_status},
          {"request_id", replace_invalid_utf8(e.request_id)},
          {"retryable", e.retryable}};
}

}  // namespace bedrock::cli
