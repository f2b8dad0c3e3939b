// The family-independent vocabulary of a model call: what we ask (Prompt, InferenceParams)
// and what comes back (Completion). Every codec translates between these and a native body.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "bedrock/models/attachment.h"

namespace bedrock::models {

enum class Role { User, Assistant };

// A tool call: made by the model (Completion::tool_calls) or sent back in an assistant turn.
struct ToolUse {
  std::string id{};  // toolUseId, echoed by the matching ToolResult
  std::string name{};
  std::string input_json = "{}";  // a JSON object; "{}" for tools that take no arguments
};

// The caller's answer to one ToolUse. Exactly one of text / json is sent: json when set.
struct ToolResult {
  std::string tool_use_id{};
  std::string text{};
  std::string json{};  // a JSON value as text; empty = send `text`
  bool error = false;  // status "error" (Anthropic Claude 3+ and Nova only)
};

// One reasoning block as the model returned it (Converse reasoningContent). Pass it back unchanged
// in the assistant turn of the next request: Claude checks the signature.
struct ReasoningBlock {
  std::string text{};
  std::string signature{};  // reasoningText.signature; empty = none
  std::string redacted{};   // redactedContent, base64 as received; non-empty = a redacted block
};

// Prompt caching (Converse `cachePoint`, docs/wire-protocol.md §8.5; Anthropic's native
// `cache_control`, §7.1): a cache point closes the prefix before it (tools, system, messages, in
// that order) for Bedrock to cache. Sent only to models whose registry row says they take prompt
// caching (ModelInfo::prompt_caching; Claude and Nova), in Converse and in the Anthropic Messages
// body; for any other model or native body they are left out: they change the bill and the
// latency, never the answer. At most kMaxCachePoints are sent; a 1-hour point may not follow a
// 5-minute one (Anthropic's rule). Both are Validation errors before sending.
enum class CacheTtl {
  Default,      // no ttl sent: Bedrock's default (5 minutes)
  FiveMinutes,  // "ttl":"5m"
  OneHour,      // "ttl":"1h"
};

struct CachePoint {
  CacheTtl ttl = CacheTtl::Default;
};

// Anthropic's limit on cache points (cache_control blocks) per request, which Bedrock relays.
inline constexpr int kMaxCachePoints = 4;

// One Converse message. Blocks are sent as: reasoning, tool results, documents, images, text, tool
// uses. Empty text is left out when the message has other blocks. Members carry `{}` so
// two-member braces stay warning-free.
struct Message {
  Role role = Role::User;
  std::string text{};
  std::vector<ToolUse> tool_uses{};         // assistant turns only
  std::vector<ToolResult> tool_results{};   // user turns only
  std::vector<ReasoningBlock> reasoning{};  // assistant turns only (Converse)
  std::vector<ImageBlock> images{};         // user turns only (Converse)
  std::vector<DocumentBlock> documents{};   // user turns only (Converse), always with text
  std::optional<CachePoint> cache_point{};  // sent after the message's blocks
};

enum class ToolChoice {
  Unset,  // not sent: the model decides (Bedrock's default, same as Auto)
  Auto,
  Any,   // the model must call some tool
  Tool,  // the model must call ToolConfig::forced_tool (Anthropic Claude 3+ and Nova only)
};

struct ToolSpec {
  std::string name{};
  std::string description{};  // empty = not sent
  std::string input_schema_json = R"({"type":"object","properties":{}})";
  bool strict = false;  // sent only when true
};

// Converse toolConfig; not sent when `tools` is empty.
struct ToolConfig {
  std::vector<ToolSpec> tools{};
  ToolChoice choice = ToolChoice::Unset;
  std::string forced_tool{};                // the tool name for ToolChoice::Tool
  std::optional<CachePoint> cache_point{};  // sent after the last tool
};

// Structured output (docs/wire-protocol.md §8.6): the answer must be JSON matching a schema.
// Native = Converse outputConfig.textFormat (json_schema); Tool = a forced tool whose input schema
// is the schema, its input returned as the answer text. Auto picks Native where the registry says
// the model has it (ModelInfo::native_structured_output), else Tool.
enum class StructuredMode { Auto, Native, Tool };

struct OutputSchema {
  std::string name{};                          // [a-zA-Z0-9_-]{1,64}; empty = "structured_output"
  std::string schema_json{};                   // a JSON Schema, a JSON object
  std::string description{};                   // empty = not sent
  StructuredMode mode = StructuredMode::Auto;  // per-call override of the registry's choice
};

struct Prompt {
  std::string system;  // empty = no system prompt
  // Alternating, starting and ending with a user turn. A final assistant turn (answer
  // prefill) is accepted only by families that can continue one (see codec.h).
  std::vector<Message> messages;
  // Tools exist only in Converse: native codecs reject a prompt with tools or tool blocks.
  ToolConfig tools{};
  std::optional<CachePoint> system_cache_point{};  // after the system prompt (needs a system)
  // Converse only: native codecs reject it. The answer's Completion::text is then the JSON,
  // validated against the schema (structured_output.h).
  std::optional<OutputSchema> output_schema{};

  static Prompt from_user(std::string text, std::string system = {}) {
    Prompt p;
    p.system = std::move(system);
    p.messages.push_back({Role::User, std::move(text)});
    return p;
  }
};

// Unset fields are not sent: the model's own default applies.
struct InferenceParams {
  std::optional<int> max_tokens;
  std::optional<double> temperature;
  std::optional<double> top_p;
  std::optional<int> top_k;
  std::vector<std::string> stop_sequences;
  // Extended thinking (Converse, Anthropic Claude 3.7 and 4 only): sent as
  // additionalModelRequestFields.thinking; at least 1024 and below max_tokens.
  std::optional<int> reasoning_budget_tokens;
};

enum class StopReason { EndTurn, MaxTokens, StopSequence, ContentFiltered, ToolUse, Unknown };

std::string_view to_string(StopReason reason);

// Input tokens read from / written to the prompt cache are counted apart from input_tokens, as
// Bedrock reports them (Converse inputTokens excludes them), and priced at their own rates.
struct TokenUsage {
  int input_tokens = 0;
  int output_tokens = 0;
  bool reported = false;  // false: counts are unknown (neither body nor headers had them)
  // After `reported`, so {in, out, reported} braces keep their meaning.
  int cache_read_input_tokens = 0;
  int cache_write_input_tokens = 0;
  // The part of cache_write_input_tokens written with the 1-hour TTL, when the answer says
  // (Anthropic usage.cache_creation.ephemeral_1h_input_tokens, Converse cacheDetails); nullopt
  // when it does not: cost then takes the TTL the request asked for (estimate_cost, registry.h).
  std::optional<int> cache_write_1h_input_tokens{};
};

struct Completion {
  std::string text;       // the answer, without any reasoning
  std::string reasoning;  // DeepSeek-R1 / gpt-oss / Converse reasoning text; empty when none
  StopReason stop_reason = StopReason::Unknown;
  std::string raw_stop_reason;  // as the model spelled it ("end_turn", "FINISH", "length", ...)
  TokenUsage usage;
  // toolUse blocks in answer order, input as compact JSON (the same text streamed or not).
  std::vector<ToolUse> tool_calls{};
  // Converse reasoningContent blocks in answer order, signature and redacted content included.
  std::vector<ReasoningBlock> reasoning_blocks{};
  // Converse additionalModelResponseFields as compact JSON (the fields asked for with
  // ConverseOptions::additional_response_field_paths); empty when the answer had none.
  std::string additional_response_fields{};
  // Converse `trace` as compact JSON ({"guardrail": {...}, "promptRouter": {...}}: what a
  // guardrail with trace enabled assessed); empty when the answer had none.
  std::string trace{};
  // How a structured answer was obtained: Native or Tool; Auto when no schema was asked for.
  StructuredMode structured = StructuredMode::Auto;
};

// The answer as the assistant turn of the next request: reasoning blocks, text and tool calls
// unchanged, so a tool loop or a thinking conversation continues where the model left it.
Message assistant_turn(const Completion& answer);

enum class ModelFamily {
  AnthropicMessages,  // Claude 3+, Messages API
  AnthropicText,      // Claude 2 / Instant, legacy text completions
  TitanText,          // Amazon Titan Text
  Nova,               // Amazon Nova, messages-v1
  Llama2,             // Meta Llama 2 chat
  Llama3,             // Meta Llama 3.x instruct
  MistralText,        // Mistral 7B / Mixtral / Large 2402 / Small, text completion
  MistralChat,        // Mistral Large 2407 chat completion
  CohereCommand,      // Cohere Command / Command Light
  CohereCommandR,     // Cohere Command R / R+
  Ai21Jurassic,       // AI21 Jurassic-2
  Ai21Jamba,          // AI21 Jamba
  DeepSeek,           // DeepSeek-R1
  OpenAiGptOss,       // OpenAI gpt-oss
};

std::string_view to_string(ModelFamily family);
// Accepts the to_string() spelling, case-insensitive. nullopt when unknown.
std::optional<ModelFamily> family_from_string(std::string_view name);

}  // namespace bedrock::models
