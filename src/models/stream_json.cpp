// Bounded parsing of stream payloads: a stream is untrusted input that arrives for as long as
// the peer likes, so sizes and nesting are checked on the raw bytes before nlohmann sees them.
#include <fmt/format.h>

#include "bedrock/core/utf8.h"
#include "stream_support.h"

namespace bedrock::models::detail {

std::string replace_invalid_utf8(std::string_view text) {
  std::string out;
  auto bad = first_invalid_utf8(text);
  if (!bad) return std::string(text);
  out.reserve(text.size() + 16);
  while (bad) {
    out.append(text.substr(0, *bad));
    out += "\xEF\xBF\xBD";  // U+FFFD
    text.remove_prefix(*bad + 1);
    bad = first_invalid_utf8(text);
  }
  out.append(text);
  return out;
}

bool json_depth_within(std::string_view text, std::size_t max_depth) {
  std::size_t depth = 0;
  bool in_string = false;
  bool escaped = false;
  for (char c : text) {
    if (in_string) {
      if (escaped) {
        escaped = false;
      } else if (c == '\\') {
        escaped = true;
      } else if (c == '"') {
        in_string = false;
      }
      continue;
    }
    if (c == '"') {
      in_string = true;
    } else if (c == '{' || c == '[') {
      if (++depth > max_depth) return false;
    } else if ((c == '}' || c == ']') && depth > 0) {
      --depth;
    }
  }
  return true;
}

Result<Json> parse_stream_object(std::string_view text, std::size_t max_bytes,
                                 const StreamLimits& limits, std::string_view what) {
  if (text.size() > max_bytes) {
    return fail(ErrorCode::InvalidResponse,
                fmt::format("{} is {} bytes, over the limit of {}", what, text.size(), max_bytes));
  }
  if (!json_depth_within(text, limits.max_json_depth)) {
    return fail(ErrorCode::InvalidResponse,
                fmt::format("{} nests deeper than {} levels", what, limits.max_json_depth));
  }
  // A model can emit any bytes; one bad sequence should cost a replacement character, not the
  // rest of the answer.
  Json parsed = first_invalid_utf8(text)
                    ? Json::parse(replace_invalid_utf8(text), nullptr, /*allow_exceptions=*/false)
                    : Json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (parsed.is_discarded()) {
    return fail(ErrorCode::InvalidResponse,
                fmt::format("{} is not valid JSON ({} bytes)", what, text.size()));
  }
  if (!parsed.is_object()) {
    return fail(ErrorCode::InvalidResponse, fmt::format("{} is not a JSON object", what));
  }
  return parsed;
}

Result<std::optional<std::string>> stream_string(const Json& object, const char* pointer,
                                                 std::string_view what) {
  const Json* value = at(object, pointer);
  if (value == nullptr || value->is_null()) return std::optional<std::string>();
  if (!value->is_string()) {
    return fail(ErrorCode::InvalidResponse, fmt::format("{} has a non-string {}", what, pointer));
  }
  return std::optional<std::string>(value->get<std::string>());
}

Result<Json> parse_stream_chunk(std::string_view chunk, const StreamState& state,
                                std::string_view api) {
  return parse_stream_object(chunk, state.limits.max_chunk_bytes, state.limits,
                             fmt::format("{} stream chunk", api));
}

Status append_text_at(const Json& chunk, const char* pointer, std::vector<StreamEvent>& events) {
  auto text = stream_string(chunk, pointer, "stream chunk");
  if (!text) return fail(text.error());
  if (*text) append_text(std::move(**text), events);
  return {};
}

Status append_stop_at(const Json& chunk, const char* pointer, StopMapper stop,
                      std::vector<StreamEvent>& events) {
  auto raw = stream_string(chunk, pointer, "stream chunk");
  if (!raw) return fail(raw.error());
  if (*raw) {
    MessageStop out;
    out.reason = stop(**raw);
    out.raw_reason = std::move(**raw);
    events.emplace_back(std::move(out));
  }
  return {};
}

void append_text(std::string text, std::vector<StreamEvent>& events) {
  if (!text.empty()) events.emplace_back(TextDelta{0, std::move(text)});
}

void append_invocation_metrics(const Json& chunk, std::vector<StreamEvent>& events) {
  const Json* metrics = at(chunk, "/amazon-bedrock-invocationMetrics");
  if (metrics == nullptr || !metrics->is_object()) return;
  UsageUpdate usage;
  usage.input_tokens = optional_count(*metrics, "/inputTokenCount");
  usage.output_tokens = optional_count(*metrics, "/outputTokenCount");
  usage.cache_read_input_tokens = optional_count(*metrics, "/cacheReadInputTokenCount");
  usage.cache_write_input_tokens = optional_count(*metrics, "/cacheWriteInputTokenCount");
  events.emplace_back(std::move(usage));
  StreamMetrics timing;
  timing.latency_ms = optional_count(*metrics, "/invocationLatency");
  timing.first_byte_latency_ms = optional_count(*metrics, "/firstByteLatency");
  events.emplace_back(timing);
}

}  // namespace bedrock::models::detail
