// ConverseStream events (docs/wire-protocol.md §9.4): the event structure's JSON is the payload,
// named by :event-type. Nova's native stream chunks wrap the same structures by name (§7.4).
#include <fmt/format.h>

#include <limits>

#include "bedrock/models/stream_decode.h"
#include "stream_support.h"

namespace bedrock::models {
namespace detail {
namespace {

Result<int> block_index(const Json& payload, std::string_view what) {
  const Json* index = at(payload, "/contentBlockIndex");
  if (index == nullptr) return 0;  // absent only for single-block answers
  const auto n = optional_count(payload, "/contentBlockIndex");
  if (!n) {
    return fail(ErrorCode::InvalidResponse,
                fmt::format("{} has an invalid contentBlockIndex", what));
  }
  return *n;
}

Status decode_delta(const Json& payload, int index, std::vector<StreamEvent>& events) {
  constexpr std::string_view kWhat = "contentBlockDelta";
  const Json* delta = at(payload, "/delta");
  if (delta == nullptr || !delta->is_object()) {
    return fail(ErrorCode::InvalidResponse, "contentBlockDelta has no delta object");
  }
  auto text = stream_string(*delta, "/text", kWhat);
  if (!text) return fail(text.error());
  if (*text) events.emplace_back(TextDelta{index, std::move(**text)});
  auto input = stream_string(*delta, "/toolUse/input", kWhat);
  if (!input) return fail(input.error());
  if (*input) events.emplace_back(ToolUseDelta{index, std::move(**input)});
  static constexpr std::pair<const char*, ReasoningPart> kParts[] = {
      {"/reasoningContent/text", ReasoningPart::Text},
      {"/reasoningContent/signature", ReasoningPart::Signature},
      {"/reasoningContent/redactedContent", ReasoningPart::Redacted},
  };
  for (const auto& [pointer, part] : kParts) {
    auto piece = stream_string(*delta, pointer, kWhat);
    if (!piece) return fail(piece.error());
    if (*piece) events.emplace_back(ReasoningDelta{index, part, std::move(**piece)});
  }
  return {};
}

void decode_metadata(const Json& payload, std::vector<StreamEvent>& events) {
  if (const Json* usage = at(payload, "/usage"); usage != nullptr && usage->is_object()) {
    events.emplace_back(converse_usage(*usage));
  }
  const Json* latency = at(payload, "/metrics/latencyMs");
  const Json* trace = at(payload, "/trace");
  if (trace != nullptr && trace->is_null()) trace = nullptr;
  if (latency != nullptr || trace != nullptr) {
    StreamMetrics metrics;
    if (latency != nullptr && latency->is_number_integer()) {
      metrics.latency_ms = latency->get<std::int64_t>();
    }
    // The payload was made valid UTF-8 before parsing, so dump cannot throw.
    if (trace != nullptr) metrics.trace = trace->dump();
    events.emplace_back(std::move(metrics));
  }
}

}  // namespace

UsageUpdate converse_usage(const Json& usage) {
  UsageUpdate update;
  if (!usage.is_object()) return update;
  update.input_tokens = optional_count(usage, "/inputTokens");
  update.output_tokens = optional_count(usage, "/outputTokens");
  update.cache_read_input_tokens = optional_count(usage, "/cacheReadInputTokens");
  update.cache_write_input_tokens = optional_count(usage, "/cacheWriteInputTokens");
  // Nova's native bodies and some captured Converse answers spell the cache counts this way
  // (§7.4, §8.2).
  if (!update.cache_read_input_tokens) {
    update.cache_read_input_tokens = optional_count(usage, "/cacheReadInputTokenCount");
  }
  if (!update.cache_write_input_tokens) {
    update.cache_write_input_tokens = optional_count(usage, "/cacheWriteInputTokenCount");
  }
  // cacheDetails (service model CacheDetail: ttl, inputTokens) splits the writes by TTL; when
  // present, the 1h entries are the 1-hour writes (0 when it lists only 5m).
  if (const Json* details = at(usage, "/cacheDetails"); details != nullptr && details->is_array()) {
    int one_hour = 0;
    for (const Json& detail : *details) {
      if (optional_string(detail, "/ttl") != "1h") continue;
      const int tokens = optional_count(detail, "/inputTokens").value_or(0);
      one_hour = tokens > std::numeric_limits<int>::max() - one_hour
                     ? std::numeric_limits<int>::max()
                     : one_hour + tokens;
    }
    update.cache_write_1h_input_tokens = one_hour;
  }
  return update;
}

Status decode_converse_event(std::string_view event_type, const Json& payload, StopMapper stop,
                             std::vector<StreamEvent>& events) {
  if (event_type == "contentBlockDelta" || event_type == "contentBlockStart" ||
      event_type == "contentBlockStop") {
    auto index = block_index(payload, event_type);
    if (!index) return fail(index.error());
    if (event_type == "contentBlockDelta") return decode_delta(payload, *index, events);
    if (event_type == "contentBlockStop") {
      events.emplace_back(ContentBlockStop{*index});
      return {};
    }
    const Json* tool = at(payload, "/start/toolUse");
    if (tool != nullptr && tool->is_object()) {
      auto id = stream_string(*tool, "/toolUseId", event_type);
      if (!id) return fail(id.error());
      auto name = stream_string(*tool, "/name", event_type);
      if (!name) return fail(name.error());
      events.emplace_back(ToolUseStart{*index, id->value_or(""), name->value_or("")});
    }
    return {};
  }
  if (event_type == "messageStop") {
    auto raw = stream_string(payload, "/stopReason", event_type);
    if (!raw) return fail(raw.error());
    MessageStop out;
    out.raw_reason = raw->value_or("");
    out.reason = stop(out.raw_reason);
    if (const Json* extra = at(payload, "/additionalModelResponseFields");
        extra != nullptr && !extra->is_null()) {
      // The text was made valid UTF-8 before parsing, so dump cannot throw.
      out.additional_fields = extra->dump();
    }
    events.emplace_back(std::move(out));
    return {};
  }
  if (event_type == "metadata") decode_metadata(payload, events);
  return {};  // messageStart carries only the role; unknown events are for newer clients
}

}  // namespace detail

Result<std::vector<StreamEvent>> decode_converse_stream_message(
    const EventStreamMessageView& message, const StreamLimits& limits) {
  std::vector<StreamEvent> events;
  const auto type = message.string_header(":message-type");
  if (!type)
    return fail(ErrorCode::InvalidResponse, "converse-stream message has no :message-type");
  if (*type == "exception") {
    const auto kind = message.string_header(":exception-type").value_or("unknown");
    events.emplace_back(StreamFailure{stream_exception_error(kind, message.payload)});
    return events;
  }
  if (*type == "error") {
    Error error = Error::make(
        ErrorCode::Unknown,
        std::string(message.string_header(":error-message").value_or("error in the stream")));
    error.aws_type = std::string(message.string_header(":error-code").value_or(""));
    events.emplace_back(StreamFailure{std::move(error)});
    return events;
  }
  if (*type != "event") {
    return fail(ErrorCode::InvalidResponse,
                fmt::format("converse-stream message has an unknown :message-type \"{}\"", *type));
  }
  const auto event_type = message.string_header(":event-type");
  if (!event_type)
    return fail(ErrorCode::InvalidResponse, "converse-stream event has no :event-type");
  auto payload = detail::parse_stream_object(message.payload, limits.max_payload_bytes, limits,
                                             fmt::format("converse-stream {}", *event_type));
  if (!payload) return fail(payload.error());
  if (auto ok = detail::decode_converse_event(*event_type, *payload, detail::converse_stop, events);
      !ok) {
    return fail(ok.error());
  }
  return events;
}

}  // namespace bedrock::models
