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
// empty text (code points = bytes that do not continue a UTF-8 sequence).
int estimate_tokens(std::string_view text);

// Validates a native InvokeModel body for `model.family` as Bedrock does. Errors: Validation
// (http_status 400, aws_type "ValidationException") with Bedrock's message style, e.g.
// "Malformed input request: #: required key [max_tokens] not found, please reformat your
// input and try again." (one schema violation names its JSON pointer; several give
// "N schema violations found"); model-side checks (Anthropic role order, max_tokens above
// the model's limit) use the model provider's own wording. A request whose input_tokens
// exceed the context window of a known model gets "Input is too long for requested model."
// (also from parse_converse_request).
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
// limit of N. ...", "This model doesn't support the stopSequences field. ..." for Llama and
// Mistral chat). Members the service model does not know are ignored, as AWS JSON does; a
// body that is not a JSON object is a Validation error with aws_type "SerializationException".
// max_tokens defaults to the model's output limit (the service model's documented default).
Result<EmulatedRequest> parse_converse_request(const ModelInfo& model, std::string_view body);

// {"output":{"message":{"role":"assistant","content":[...]}},"stopReason":...,
//  "usage":{"inputTokens","outputTokens","totalTokens"},"metrics":{"latencyMs":...}}
// plus additionalModelResponseFields: each additionalModelResponseFieldPaths pointer that
// exists in the family's native response (e.g. "/stop_sequence" for Claude), under the same
// pointer. Reasoning becomes a {"reasoningContent":{"reasoningText":{"text"}}} block first.
std::string render_converse_response(const EmulatedRequest& request, const EmulatedAnswer& answer,
                                     int latency_ms);

// What the last InvokeModelWithResponseStream chunk reports as
// "amazon-bedrock-invocationMetrics" besides the token counts.
struct StreamTiming {
  int invocation_latency_ms = 0;
  int first_byte_latency_ms = 0;
};

// InvokeModelWithResponseStream: the family's native stream chunks (reference §7), each one
// JSON document, in order; the answer's text arrives a few words per chunk and the last chunk
// carries the stop reason and "amazon-bedrock-invocationMetrics". nullopt for families that
// do not stream here: AI21 Jurassic-2 (Bedrock: "The model is unsupported for streaming") and
// the families whose stream shape the reference leaves unverified (Cohere, Mistral chat,
// Jamba, gpt-oss); streams_natively() says which in advance.
bool streams_natively(ModelFamily family);
std::optional<std::vector<std::string>> render_native_stream(const ModelInfo& model,
                                                             const EmulatedRequest& request,
                                                             const EmulatedAnswer& answer,
                                                             const StreamTiming& timing,
                                                             const ResponseContext& context = {});

// ConverseStream's body (application/vnd.amazon.eventstream, reference §9.4) for the same
// answer: messageStart; the reasoning (block 0, when there is any) and the text as
// contentBlockDelta events of a few words each, every block closed by contentBlockStop;
// messageStop with the stop reason (and additionalModelResponseFields, as above); metadata
// with usage and latency. The deltas of a block concatenate to exactly its text.
std::string render_converse_stream(const EmulatedRequest& request, const EmulatedAnswer& answer,
                                   int latency_ms);

// The deterministic default answer to the last user turn (same request -> same answer):
// - the document of a prompt is the content of a "<tag>...</tag>" block when there is one,
//   else the text after an instruction paragraph ("Summarize the following:" + blank line),
//   with "Label:" prefixes such as "Summarize:" dropped;
// - "expand" + bullet list -> one paragraph per bullet, blank lines between; "blog post
//   about: X" -> a Markdown post ("# X", "## " sections); "product description" with
//   "Product:"/"Features:" lines -> a short description; "rewrite"/"rephrase" of a tagged
//   document -> the whole document; anything else -> its leading sentences (the first three
//   of one paragraph, or the first sentence of each of the first three paragraphs);
// - very short prompts get a fixed friendly reply; credentials (access key ids, long
//   key-like tokens, values after "password:" ...) are replaced by "[redacted]";
// - DeepSeek-R1 and gpt-oss also get a one-sentence reasoning text;
// - then cut before the earliest stop sequence (StopSequence; the sequence is not part of
//   the text), then truncated to max_tokens at a word boundary (MaxTokens; mid-word only
//   when the first word alone does not fit), else EndTurn. Reasoning spends the budget
//   first. output_tokens = estimate_tokens(reasoning) + estimate_tokens(text).
// `model` is not consulted today (the request carries the family and the limit).
EmulatedAnswer default_answer(const ModelInfo& model, const EmulatedRequest& request);

// Any text (a fixture's canned response, an injected answer) made into an answer the way
// default_answer finishes its own: stop sequences, then max_tokens truncation, then counts.
// `reasoning` is for DeepSeek-R1 / gpt-oss style answers; leave it empty otherwise.
EmulatedAnswer shape_answer(const EmulatedRequest& request, std::string text,
                            std::string reasoning = {});

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

}  // namespace bedrock::emulator::model
