// What a streamed answer (InvokeModelWithResponseStream, ConverseStream; docs/wire-protocol.md §9)
// hands the caller as it arrives, and the accumulator that turns those events into the same
// Completion the non-streamed call returns. Pure types; no I/O.
//
// Content arrives per content block (`index` = Converse contentBlockIndex / Anthropic index):
// text, reasoning and tool-use input of different blocks are never mixed. Families with a single
// text stream (Titan, Llama, Mistral text, DeepSeek, Claude text completions) use block 0.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "bedrock/core/error.h"
#include "bedrock/core/result.h"
#include "bedrock/models/types.h"

namespace bedrock::models {

struct TextDelta {
  int index = 0;
  std::string text;
};

enum class ReasoningPart {
  Text,       // readable reasoning
  Signature,  // Anthropic's signature over the thinking; must be sent back unchanged
  Redacted,   // encrypted reasoning (redactedContent / redacted_thinking), base64 as received
};

struct ReasoningDelta {
  int index = 0;
  ReasoningPart part = ReasoningPart::Text;
  std::string text;
};

struct ToolUseStart {
  int index = 0;
  std::string id;
  std::string name;
};

// A piece of the tool's input JSON; the pieces of one block concatenate to the whole input.
struct ToolUseDelta {
  int index = 0;
  std::string input;
};

struct ContentBlockStop {
  int index = 0;
};

struct MessageStop {
  StopReason reason = StopReason::Unknown;
  std::string raw_reason;         // as the model spelled it
  std::string additional_fields;  // Converse additionalModelResponseFields as JSON; empty if none
};

// Counts as reported so far; a later report of a field replaces the earlier one (Anthropic
// sends output_tokens 1 at the start and the real count at the end).
struct UsageUpdate {
  std::optional<int> input_tokens;
  std::optional<int> output_tokens;
  std::optional<int> cache_read_input_tokens;
  std::optional<int> cache_write_input_tokens;
  std::optional<int> cache_write_1h_input_tokens;  // TokenUsage::cache_write_1h_input_tokens
};

// The one reading of usage for streamed and non-streamed answers: every decoder (whole body or
// stream event) fills a UsageUpdate, and this turns it into the Completion's TokenUsage. Reported
// when both input and output counts are present; absent cache counts are 0.
TokenUsage token_usage(const UsageUpdate& update);

// What a stream reports about the call besides usage (Converse: the metadata event).
struct StreamMetrics {
  std::optional<std::int64_t> latency_ms;  // Converse latencyMs / invocationLatency
  std::optional<std::int64_t> first_byte_latency_ms;
  std::string trace;  // Converse metadata `trace` as compact JSON; empty when none
};

// An exception message inside the stream (docs/wire-protocol.md §2.4), already typed: code,
// aws_type
// ("ThrottlingException"), retryable as for the same error outside a stream.
struct StreamFailure {
  Error error;
};

using StreamEvent =
    std::variant<TextDelta, ReasoningDelta, ToolUseStart, ToolUseDelta, ContentBlockStop,
                 MessageStop, UsageUpdate, StreamMetrics, StreamFailure>;

// Bounds on hostile or broken input, checked before any JSON parser sees the bytes.
struct StreamLimits {
  std::size_t max_payload_bytes = 2 * 1024 * 1024;  // one event's JSON payload
  std::size_t max_chunk_bytes = 1'000'000;  // one decoded `bytes` chunk (the service model cap)
  std::size_t max_json_depth = 64;          // documented shapes nest at most 6 deep
  std::size_t max_held_bytes = 4 * 1024 * 1024;  // text a decoder holds back (DeepSeek thinking)
};

// Per-stream memory of a native chunk decoder; one per stream, starts empty.
struct StreamState {
  StreamLimits limits;
  // DeepSeek-R1: its text is "reasoning</think>answer", so the reasoning is held until
  // "</think>" shows it is reasoning (a text without it is all answer, as in decode()).
  std::string held;
  bool past_reasoning = false;
  bool answer_begun = false;  // leading newlines of the answer are dropped until it begins
};

// One content block as assembled from its deltas.
struct StreamBlock {
  int index = 0;
  std::string text;
  std::string reasoning;
  std::string reasoning_signature;
  std::string redacted_reasoning;
  std::string tool_use_id;
  std::string tool_name;
  std::string tool_input;  // the concatenated input JSON text (not validated here)
  bool stopped = false;
};

// Folds events into the non-streamed result. Not thread-safe; one per stream.
class StreamAccumulator {
 public:
  void add(const StreamEvent& event);

  // The answer so far: text and reasoning of every block in index order, a tool call per block
  // that had a toolUse start (id and name from the start, input assembled from its deltas and
  // spelled as decode_converse spells it), the stop reason once seen, usage reported when both
  // counts arrived.
  Completion completion() const;

  // The whole answer. Errors: the in-stream failure when there was one; InvalidResponse when
  // the stream ended without a stop reason (it was cut) or a tool's input is not JSON.
  Result<Completion> finish() const;

  std::vector<StreamBlock> blocks() const;
  const UsageUpdate& usage() const { return usage_; }
  const StreamMetrics& metrics() const { return metrics_; }
  const std::optional<Error>& failure() const { return failure_; }
  bool stopped() const { return stop_.has_value(); }
  const std::optional<MessageStop>& stop() const { return stop_; }

 private:
  StreamBlock& block(int index);

  std::vector<StreamBlock> blocks_;  // sorted by index; streams have a handful of blocks
  UsageUpdate usage_;
  StreamMetrics metrics_;
  std::optional<MessageStop> stop_;
  std::optional<Error> failure_;
};

}  // namespace bedrock::models
