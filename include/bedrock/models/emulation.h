// The server side of every model family, for the local Bedrock emulator: validate a native
// InvokeModel body (or a Converse body) the way Bedrock does, produce a deterministic answer,
// and shape the family's exact native (or Converse) response. Pure functions of their inputs;
// thread-safe; no I/O, no clock (callers pass ids and times in through ResponseContext).
//
// Reference: /work/shared/reference/bedrock-runtime.md §2 (errors), §7 (native bodies),
// §8 (Converse), §10 (limits).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "bedrock/core/error.h"
#include "bedrock/core/result.h"
#include "bedrock/models/registry.h"
#include "bedrock/models/types.h"

namespace bedrock::models::emulation {

// One conversation turn as the model sees it, with chat templates ("[INST]", "<|eot_id|>",
// "\n\nHuman:", "User:/Bot:", ...) removed.
struct EmulatedTurn {
  Role role = Role::User;
  std::string text;
};

// Everything the emulator needs to answer one request, whatever family it came in as.
struct EmulatedRequest {
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
  int input_tokens = 0;  // estimate_tokens() of what the model reads
  std::vector<std::string> response_field_paths;  // Converse additionalModelResponseFieldPaths
};

struct EmulatedAnswer {
  std::string text;       // the answer proper
  std::string reasoning;  // DeepSeek-R1 / gpt-oss reasoning; rendered natively in the
                          // family's way (before "</think>", inside <reasoning> tags) and
                          // as a reasoningContent block by Converse. Empty for others.
  StopReason stop_reason = StopReason::EndTurn;  // EndTurn, MaxTokens or StopSequence
  std::string stop_sequence;                     // the matched sequence when StopSequence
  int input_tokens = 0;
  int output_tokens = 0;  // estimate_tokens(reasoning) + estimate_tokens(text)
};

// Ids and times a response carries. Empty/zero fields are derived deterministically from the
// request (a hash of model id + prompt), so the same request renders the same bytes.
struct ResponseContext {
  std::string request_id;                 // seeds ids such as "msg_bdrk_..." when set
  std::int64_t created_unix_seconds = 0;  // gpt-oss "created"
};

// The one token estimator used for input and output counts: ceil(code points / 4), 0 for
// empty text. Invalid UTF-8 bytes count as one code point each.
int estimate_tokens(std::string_view text);

// Validates a native InvokeModel body for `model.family` as Bedrock does. Errors: Validation
// (http_status 400, aws_type "ValidationException") with Bedrock's message style, e.g.
// "Malformed input request: #: required key [max_tokens] not found, please reformat your
// input and try again." (one schema violation names its JSON pointer; several give
// "N schema violations found"); model-side checks (Anthropic role order, max_tokens above
// the model's limit) use the model provider's own wording.
Result<EmulatedRequest> parse_native_request(const ModelInfo& model, std::string_view body);

// The family's exact native InvokeModel response body (ids, usage field names, stop-reason
// spelling as in reference §7).
std::string render_native_response(const ModelInfo& model, const EmulatedRequest& request,
                                   const EmulatedAnswer& answer,
                                   const ResponseContext& context = {});

// Validates a Converse body (service model shapes, reference §8.1) for `model`. Errors:
// Validation with the AWS wording ("1 validation error detected: Value '1.5' at
// 'inferenceConfig.temperature' failed to satisfy constraint: ...", "A conversation must
// start with a user message. ...", "The maximum tokens you requested exceeds the model
// limit of N. ...").
Result<EmulatedRequest> parse_converse_request(const ModelInfo& model, std::string_view body);

// {"output":{"message":{"role":"assistant","content":[...]}},"stopReason":...,
//  "usage":{"inputTokens","outputTokens","totalTokens"},"metrics":{"latencyMs":...}}
// plus additionalModelResponseFields when the request asked for "/stop_sequence".
std::string render_converse_response(const EmulatedRequest& request, const EmulatedAnswer& answer,
                                     int latency_ms);

// The deterministic default answer: the leading sentences of the last user turn (an
// instruction paragraph before a blank line is skipped, "Summarize:"-style prefixes are
// dropped, secrets are redacted), or a fixed reply for very short prompts; cut at the first
// stop sequence (StopSequence), then truncated at a word boundary to max_tokens
// (MaxTokens), else EndTurn. DeepSeek-R1 and gpt-oss also get a short reasoning text.
// Same request -> same answer.
EmulatedAnswer default_answer(const ModelInfo& model, const EmulatedRequest& request);

// A stop reason as `family` spells it natively ("end_turn", "FINISHED", "length",
// "COMPLETE", "endoftext", ...), and as Converse spells it.
std::string_view native_stop_reason(ModelFamily family, StopReason reason);
std::string_view converse_stop_reason(StopReason reason);

// The anthropic "model" field for an id: "anthropic.claude-3-haiku-20240307-v1:0" ->
// "claude-3-haiku-20240307".
std::string anthropic_model_name(std::string_view model_id);

// ---- Error bodies (reference §2.1/§2.2) ----

// AWS exception name and HTTP status for a service error code ("ThrottlingException", 429).
// Client-side codes map to InternalServerException / 500.
std::string_view aws_error_type(ErrorCode code);
int aws_error_status(ErrorCode code);

// {"message":"..."}; for ModelError also "originalStatusCode" and "resourceName", for
// ModelStreamError "originalStatusCode" and "originalMessage" (from error.original_status;
// resource_or_original is the resourceName / originalMessage).
std::string render_error_body(const Error& error, std::string_view resource_or_original = {});

}  // namespace bedrock::models::emulation
