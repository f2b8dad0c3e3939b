// Shared pieces of the stream decoders: bounded JSON parsing of untrusted stream payloads, the
// invocation metrics every native chunk may carry, and the Converse event shapes (which Nova's
// native chunks reuse). Private to bedrock_models.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "bedrock/models/stream.h"
#include "codec_support.h"

namespace bedrock::models::detail {

// `text` with every invalid UTF-8 sequence replaced by U+FFFD (one per offending byte).
std::string replace_invalid_utf8(std::string_view text);

// Whether the arrays/objects of a JSON text nest at most `max_depth` deep (brackets inside
// strings do not count). Linear, no recursion: runs before any parser.
bool json_depth_within(std::string_view text, std::size_t max_depth);

// A stream payload as a JSON object: size and depth checked first, invalid UTF-8 replaced.
// Errors: InvalidResponse naming `what` ("converse-stream contentBlockDelta").
Result<Json> parse_stream_object(std::string_view text, std::size_t max_bytes,
                                 const StreamLimits& limits, std::string_view what);

// A native stream chunk of `api` ("titan-text") parsed within state.limits.
Result<Json> parse_stream_chunk(std::string_view chunk, const StreamState& state,
                                std::string_view api);

// Usage and metrics from a chunk's "amazon-bedrock-invocationMetrics", when present.
void append_invocation_metrics(const Json& chunk, std::vector<StreamEvent>& events);

// A string member, or nullopt when absent or null; InvalidResponse when of another type.
Result<std::optional<std::string>> stream_string(const Json& object, const char* pointer,
                                                 std::string_view what);

// The text of a single-stream family's chunk as block-0 text (nothing for empty text).
void append_text(std::string text, std::vector<StreamEvent>& events);

// Text of a family that writes its reasoning inline, "<open>reasoning</close>answer" (DeepSeek-R1's
// <think>, gpt-oss's <reasoning>): held in state.held until `close_tag` shows what was reasoning
// (the search resumes where a tag split across chunks may begin), then the reasoning as a
// ReasoningDelta and the answer as text, without the newlines that separate them (as
// split_reasoning() does for a whole body). Errors: InvalidResponse naming `api` when the held
// text passes state.limits.max_held_bytes.
Status take_inline_reasoning_text(std::string_view text, std::string_view open_tag,
                                  std::string_view close_tag, std::string_view api,
                                  StreamState& state, std::vector<StreamEvent>& events);

using StopMapper = StopReason (*)(std::string_view raw);

// The string at `pointer` as block-0 text (nothing when absent, null or empty).
Status append_text_at(const Json& chunk, const char* pointer, std::vector<StreamEvent>& events);

// A MessageStop when the stop reason at `pointer` is set (it is null until the last chunk).
Status append_stop_at(const Json& chunk, const char* pointer, StopMapper stop,
                      std::vector<StreamEvent>& events);

// The usage readers, one per spelling, shared by whole bodies and stream events (turned into
// TokenUsage by token_usage(), stream.h). Converse and Nova: inputTokens, outputTokens,
// cacheReadInputTokens, cacheWriteInputTokens (Nova's native ...InputTokenCount spelling too).
UsageUpdate converse_usage(const Json& usage);
// Anthropic Messages: input_tokens, output_tokens, cache_read_input_tokens,
// cache_creation_input_tokens.
UsageUpdate anthropic_usage(const Json& usage);

// Converse's stopReason spellings (decode_converse and ConverseStream share them).
StopReason converse_stop(std::string_view raw);

// One Converse stream event (docs/wire-protocol.md §9.4), by its event name, into `events`. Unknown
// event names and delta kinds (citation, image, ...) add nothing. Errors: InvalidResponse when a
// documented member has the wrong type.
Status decode_converse_event(std::string_view event_type, const Json& payload, StopMapper stop,
                             std::vector<StreamEvent>& events);

}  // namespace bedrock::models::detail
