#include <algorithm>
#include <type_traits>

#include "bedrock/models/stream.h"
#include "stream_support.h"

namespace bedrock::models {
namespace {

// Tool input JSON nests like any payload: bound it before the parser (StreamLimits' default).
constexpr std::size_t kMaxToolInputDepth = StreamLimits{}.max_json_depth;

// A tool block's input as decode_converse spells it (compact, parsed and dumped), "{}" when the
// tool took no arguments; nullopt when the pieces do not make a JSON value (a cut stream).
std::optional<std::string> normalized_input(const std::string& input) {
  if (input.empty()) return std::string("{}");
  if (!detail::json_depth_within(input, kMaxToolInputDepth)) return std::nullopt;
  const auto valid = detail::replace_invalid_utf8(input);
  detail::Json parsed = detail::Json::parse(valid, nullptr, /*allow_exceptions=*/false);
  if (parsed.is_discarded()) return std::nullopt;
  return parsed.dump();
}

bool is_tool_block(const StreamBlock& b) { return !b.tool_use_id.empty() || !b.tool_name.empty(); }

template <typename T>
void keep_latest(std::optional<T>& into, const std::optional<T>& from) {
  if (from) into = from;
}

}  // namespace

TokenUsage token_usage(const UsageUpdate& update) {
  TokenUsage out;
  if (!update.input_tokens || !update.output_tokens) return out;
  out.input_tokens = *update.input_tokens;
  out.output_tokens = *update.output_tokens;
  out.cache_read_input_tokens = update.cache_read_input_tokens.value_or(0);
  out.cache_write_input_tokens = update.cache_write_input_tokens.value_or(0);
  out.cache_write_1h_input_tokens = update.cache_write_1h_input_tokens;
  out.reported = true;
  return out;
}

StreamBlock& StreamAccumulator::block(int index) {
  auto it = std::lower_bound(blocks_.begin(), blocks_.end(), index,
                             [](const StreamBlock& b, int i) { return b.index < i; });
  if (it == blocks_.end() || it->index != index) {
    it = blocks_.insert(it, StreamBlock{});
    it->index = index;
  }
  return *it;
}

void StreamAccumulator::add(const StreamEvent& event) {
  std::visit(
      [this](const auto& e) {
        using T = std::decay_t<decltype(e)>;
        if constexpr (std::is_same_v<T, TextDelta>) {
          block(e.index).text += e.text;
        } else if constexpr (std::is_same_v<T, ReasoningDelta>) {
          StreamBlock& b = block(e.index);
          switch (e.part) {
            case ReasoningPart::Text:
              b.reasoning += e.text;
              break;
            case ReasoningPart::Signature:
              b.reasoning_signature += e.text;
              break;
            case ReasoningPart::Redacted:
              b.redacted_reasoning += e.text;
              break;
          }
        } else if constexpr (std::is_same_v<T, ToolUseStart>) {
          StreamBlock& b = block(e.index);
          b.tool_use_id = e.id;
          b.tool_name = e.name;
        } else if constexpr (std::is_same_v<T, ToolUseDelta>) {
          block(e.index).tool_input += e.input;
        } else if constexpr (std::is_same_v<T, ContentBlockStop>) {
          block(e.index).stopped = true;
        } else if constexpr (std::is_same_v<T, MessageStop>) {
          stop_ = e;
        } else if constexpr (std::is_same_v<T, UsageUpdate>) {
          keep_latest(usage_.input_tokens, e.input_tokens);
          keep_latest(usage_.output_tokens, e.output_tokens);
          keep_latest(usage_.cache_read_input_tokens, e.cache_read_input_tokens);
          keep_latest(usage_.cache_write_input_tokens, e.cache_write_input_tokens);
          keep_latest(usage_.cache_write_1h_input_tokens, e.cache_write_1h_input_tokens);
        } else if constexpr (std::is_same_v<T, StreamMetrics>) {
          keep_latest(metrics_.latency_ms, e.latency_ms);
          keep_latest(metrics_.first_byte_latency_ms, e.first_byte_latency_ms);
          if (!e.trace.empty()) metrics_.trace = e.trace;
        } else if constexpr (std::is_same_v<T, StreamFailure>) {
          if (!failure_) failure_ = e.error;  // the first failure is the cause
        }
      },
      event);
}

Completion StreamAccumulator::completion() const {
  Completion out;
  for (const StreamBlock& b : blocks_) {
    out.text += b.text;
    out.reasoning += b.reasoning;
    if (!b.reasoning.empty() || !b.reasoning_signature.empty() || !b.redacted_reasoning.empty()) {
      out.reasoning_blocks.push_back({b.reasoning, b.reasoning_signature, b.redacted_reasoning});
    }
    if (is_tool_block(b)) {
      // An unfinished input stays as received here; finish() refuses it.
      out.tool_calls.push_back(
          {b.tool_use_id, b.tool_name, normalized_input(b.tool_input).value_or(b.tool_input)});
    }
  }
  if (stop_) {
    out.stop_reason = stop_->reason;
    out.raw_stop_reason = stop_->raw_reason;
    out.additional_response_fields = stop_->additional_fields;
  }
  out.trace = metrics_.trace;
  out.usage = token_usage(usage_);
  return out;
}

Result<Completion> StreamAccumulator::finish() const {
  if (failure_) return fail(*failure_);
  if (!stop_) {
    return fail(ErrorCode::InvalidResponse,
                "the response stream ended before the model's stop reason");
  }
  for (const StreamBlock& b : blocks_) {
    if (is_tool_block(b) && !normalized_input(b.tool_input)) {
      return fail(ErrorCode::InvalidResponse,
                  "the streamed input of tool use " + b.tool_use_id + " is not valid JSON");
    }
  }
  return completion();
}

std::vector<StreamBlock> StreamAccumulator::blocks() const { return blocks_; }

}  // namespace bedrock::models
