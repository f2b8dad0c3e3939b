// Anthropic Messages stream chunks (docs/wire-protocol.md §7.1): message_start (input usage),
// content_block_start/delta/stop per index (text_delta, input_json_delta, thinking_delta,
// signature_delta), message_delta (stop reason, output usage), message_stop (metrics).
#include <fmt/format.h>

#include "codec_families.h"
#include "stream_support.h"

namespace bedrock::models::detail {
namespace {

constexpr std::string_view kWhat = "anthropic-messages stream chunk";

// Appends the event of one content_block_delta (or the initial content of a block start,
// which has the same members under other type names).
Status block_content(const Json& content, int index, std::vector<StreamEvent>& events) {
  const std::string type = optional_string(content, "/type");
  const auto piece = [&](const char* pointer) -> Result<std::optional<std::string>> {
    auto value = stream_string(content, pointer, kWhat);
    if (!value) return fail(value.error());
    if (*value && (*value)->empty()) return std::optional<std::string>();
    return value;
  };
  Result<std::optional<std::string>> value = std::optional<std::string>();
  if (type == "text_delta" || type == "text") {
    value = piece("/text");
    if (value && *value) events.emplace_back(TextDelta{index, std::move(**value)});
  } else if (type == "input_json_delta") {
    value = piece("/partial_json");
    if (value && *value) events.emplace_back(ToolUseDelta{index, std::move(**value)});
  } else if (type == "thinking_delta" || type == "thinking") {
    value = piece("/thinking");
    if (value && *value) {
      events.emplace_back(ReasoningDelta{index, ReasoningPart::Text, std::move(**value)});
    }
    if (value && type == "thinking") value = piece("/signature");
    if (value && *value) {
      events.emplace_back(ReasoningDelta{index, ReasoningPart::Signature, std::move(**value)});
    }
  } else if (type == "signature_delta") {
    value = piece("/signature");
    if (value && *value) {
      events.emplace_back(ReasoningDelta{index, ReasoningPart::Signature, std::move(**value)});
    }
  } else if (type == "redacted_thinking") {
    value = piece("/data");
    if (value && *value) {
      events.emplace_back(ReasoningDelta{index, ReasoningPart::Redacted, std::move(**value)});
    }
  } else if (type == "tool_use") {
    auto id = stream_string(content, "/id", kWhat);
    if (!id) return fail(id.error());
    auto name = stream_string(content, "/name", kWhat);
    if (!name) return fail(name.error());
    events.emplace_back(ToolUseStart{index, id->value_or(""), name->value_or("")});
  }
  if (!value) return fail(value.error());
  return {};
}

Result<int> chunk_index(const Json& chunk) {
  const auto index = optional_count(chunk, "/index");
  if (!index) return fail(ErrorCode::InvalidResponse, fmt::format("{} has no index", kWhat));
  return *index;
}

void append_usage(const Json* usage, std::vector<StreamEvent>& events) {
  if (usage == nullptr || !usage->is_object()) return;
  events.emplace_back(anthropic_usage(*usage));
}

}  // namespace

UsageUpdate anthropic_usage(const Json& usage) {
  UsageUpdate update;
  if (!usage.is_object()) return update;
  update.input_tokens = optional_count(usage, "/input_tokens");
  update.output_tokens = optional_count(usage, "/output_tokens");
  update.cache_read_input_tokens = optional_count(usage, "/cache_read_input_tokens");
  update.cache_write_input_tokens = optional_count(usage, "/cache_creation_input_tokens");
  // The split by TTL (Anthropic's usage.cache_creation); the 5-minute part is the rest.
  update.cache_write_1h_input_tokens =
      optional_count(usage, "/cache_creation/ephemeral_1h_input_tokens");
  return update;
}

Result<std::vector<StreamEvent>> decode_anthropic_stream_chunk(std::string_view chunk,
                                                               StreamState& state) {
  auto json = parse_stream_chunk(chunk, state, "anthropic-messages");
  if (!json) return fail(json.error());
  std::vector<StreamEvent> events;
  const std::string type = optional_string(*json, "/type");
  if (type == "message_start") {
    append_usage(at(*json, "/message/usage"), events);
  } else if (type == "content_block_start" || type == "content_block_delta") {
    auto index = chunk_index(*json);
    if (!index) return fail(index.error());
    const Json* content = at(*json, type == "content_block_start" ? "/content_block" : "/delta");
    if (content == nullptr || !content->is_object()) {
      return fail(ErrorCode::InvalidResponse, fmt::format("{} {} has no content", kWhat, type));
    }
    if (auto ok = block_content(*content, *index, events); !ok) return fail(ok.error());
  } else if (type == "content_block_stop") {
    auto index = chunk_index(*json);
    if (!index) return fail(index.error());
    events.emplace_back(ContentBlockStop{*index});
  } else if (type == "message_delta") {
    if (auto ok = append_stop_at(*json, "/delta/stop_reason", anthropic_stop, events); !ok) {
      return fail(ok.error());
    }
    append_usage(at(*json, "/usage"), events);
  } else if (type == "error") {
    // Anthropic's own error event; Bedrock normally sends an exception message instead.
    std::string message = optional_string(*json, "/error/message");
    if (message.empty()) message = "the model reported an error mid-stream";
    Error error = Error::make(ErrorCode::ModelStreamError, std::move(message));
    error.aws_type = optional_string(*json, "/error/type");
    events.emplace_back(StreamFailure{std::move(error)});
  }
  append_invocation_metrics(*json, events);
  return events;
}

}  // namespace bedrock::models::detail
