// What the emulator's model side reads from a request: the conversation and parameters of one
// native InvokeModel or Converse body, whatever family it came in as. Everything in
// emulator/model is a pure function of its inputs (reasoning signatures also of a key drawn
// once per process, reasoning.h); thread-safe; no I/O, no clock (callers pass ids and times
// in through ResponseContext, render.h).
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "bedrock/models/registry.h"
#include "bedrock/models/types.h"

namespace bedrock::emulator::model {

// The client's model vocabulary, which the emulator answers in.
using models::ModelFamily;
using models::ModelInfo;
using models::Role;
using models::StopReason;

// One conversation turn as the model sees it, with chat templates ("[INST]", "<|eot_id|>",
// "\n\nHuman:", "User:/Bot:", ...) removed.
struct EmulatedTurn {
  Role role = Role::User;
  std::string text;
};

// The prompt up to one Converse cachePoint block (prompt_cache.h) or Claude cache_control block
// (anthropic_cache.h): what a prompt cache keys and counts.
struct CachePrefix {
  std::string digest;     // SHA-256 of the model id and the canonical prefix, raw bytes
  int tokens = 0;         // the prefix's input tokens, counted as input_tokens counts them
  int ttl_seconds = 0;    // 300 ("5m", the default) or 3600 ("1h")
  bool one_hour = false;  // ttl "1h"
};

// Everything the emulator needs to answer one request, whatever family it came in as.
struct EmulatedRequest {
  // The API the body used, which picks the response shape: the model's family, except that
  // Mistral Large 24.02 (a MistralText model) also takes chat bodies -> MistralChat.
  ModelFamily family = ModelFamily::AnthropicMessages;
  std::string model_id;             // ModelInfo::id the request was parsed for
  std::string system_text;          // system prompt / preamble; empty when none
  std::vector<EmulatedTurn> turns;  // in order; the last user turn drives the answer
  std::string prompt_text;          // all turn texts joined by "\n\n" (fixture matching)
  std::string native_prompt;        // the body's prompt/message string, for families whose
                                    // response echoes it (Cohere, AI21 Jurassic-2)
  int max_tokens = 0;               // effective: the family default when absent
  bool max_tokens_given = false;    // whether the body set it
  std::vector<std::string> stop_sequences;
  std::optional<double> temperature;
  std::optional<double> top_p;
  std::optional<int> top_k;
  int choices = 1;       // generations asked for (Cohere num_generations, Jamba n)
  int input_tokens = 0;  // estimate_tokens() of what the model reads: the whole native prompt
                         // (template markup included) for prompt-string families, else
                         // system + every turn text
  std::vector<std::string> response_field_paths;  // Converse additionalModelResponseFieldPaths
  // Converse members the answer echoes (docs/wire-protocol.md §8.2): performanceConfig.latency
  // and serviceTier.type as given, empty when absent.
  std::string latency;
  std::string service_tier;
  // Converse guardrailConfig: the guardrail's id (an ARN's last part), version and trace
  // ("enabled" / "enabled_full" / "disabled"); empty when absent.
  std::string guardrail_id;
  std::string guardrail_version;
  std::string guardrail_trace;
  std::string forced_tool;         // Converse toolChoice any / tool: the tool the answer calls
  std::string forced_tool_schema;  // that tool's inputSchema.json, compact JSON text
  // Converse toolConfig: every toolSpec offered (name, inputSchema.json as compact JSON text)
  // and the toolChoice kind ("auto" when toolConfig has none; empty without toolConfig).
  std::vector<std::pair<std::string, std::string>> offered_tools;
  std::string tool_choice;
  bool answers_tool_result = false;  // the last turn carries toolResult blocks
  // Converse outputConfig.textFormat: the JSON schema the answer's text must fit, compact JSON
  // text; empty when none.
  std::string output_schema;
  // Claude extended thinking (additionalModelRequestFields.thinking enabled): the answer
  // starts with a signed reasoning block.
  bool thinking = false;
  int thinking_budget = 0;
  // Converse cachePoint or Claude cache_control blocks, in prompt order (tools, system,
  // messages); empty without any, which keeps the prompt cache off the request's path.
  std::vector<CachePrefix> cache_prefixes;
  // Converse image and document blocks of the last user turn, as the answer names them
  // (attachments.h describe_attachments); the default answer ends by listing them, so a test
  // sees what reached the model.
  std::vector<std::string> attachments;
};

// The one token estimator used for input and output counts: ceil(code points / 4), 0 for
// empty text (code points = bytes that do not continue a UTF-8 sequence).
int estimate_tokens(std::string_view text);

}  // namespace bedrock::emulator::model
