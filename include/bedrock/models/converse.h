// The Converse API (docs/wire-protocol.md §8): one request/response shape for every model family.
// Pure functions; thread-safe; no I/O.
//
// encode_converse() applies the parameter rule of codec.h with Converse's own ranges:
// temperature and top_p 0..1 (the service model's constraints, whatever the family allows
// natively), max_tokens 1..model.max_output_tokens, stop sequences non-empty and at most 4 for
// families whose native API limits them. The family still decides what it supports: stop
// sequences are a Validation error for Llama and Mistral chat (Bedrock answers "This model
// doesn't support the stopSequences field"), and top_k, which Converse has no field for, is
// sent in additionalModelRequestFields in the family's native spelling:
//   Anthropic {"top_k":k}, Nova {"inferenceConfig":{"topK":k}}, Mistral text {"top_k":k},
//   Cohere {"k":k}; any other family -> Validation.
#pragma once

#include <string>
#include <string_view>

#include "bedrock/core/result.h"
#include "bedrock/models/converse_options.h"
#include "bedrock/models/registry.h"
#include "bedrock/models/types.h"

namespace bedrock::models {

// {"messages":[{"role","content":[{"text"}]}], "system":[{"text"}]?, "inferenceConfig":{...}?,
//  "toolConfig":{...}?, "additionalModelRequestFields":{...}?} plus the members of `options`
// (converse_options.h) that are set. Tool results of one turn given as
// consecutive user messages are merged into one. Tools are checked before sending: a family
// without Converse tool use, an invalid name or id, a schema or input that is not a JSON object,
// a tool use left unanswered or a result answering nothing are Validation errors. Reasoning
// blocks of assistant turns are sent back unchanged; reasoning_budget_tokens becomes
// additionalModelRequestFields.thinking for Claude 3.7 and 4 (any other model: Validation).
// Images and documents (attachment.h) are checked against Bedrock's limits: user turns only, at
// most 20 images of 3.75 MiB and 5 documents of 4.5 MiB per request, valid document names, and a
// document never without text in its message (refused rather than given an invented question:
// nothing the caller asked for is altered). Cache points (types.h CachePoint) become cachePoint
// entries of system, toolConfig.tools and the message's content for models with
// ModelInfo::prompt_caching, and are left out otherwise (docs/wire-protocol.md §8.5).
// Prompt::output_schema becomes outputConfig.textFormat or a forced tool (structured_output.h,
// §8.6). `stream`: the body is for ConverseStream (only it takes guardrail streamProcessingMode).
// Errors: Validation (see above; also a cache point with nothing before it, an output schema that
// is not a JSON object or has an invalid name, the Tool form next to the caller's tools).
Result<std::string> encode_converse(const Prompt& prompt, const InferenceParams& params,
                                    const ModelInfo& model, const ConverseOptions& options,
                                    bool stream = false);
Result<std::string> encode_converse(const Prompt& prompt, const InferenceParams& params,
                                    const ModelInfo& model);

// output.message.content text blocks concatenated in order (reasoningContent blocks go to
// Completion::reasoning and, whole, to Completion::reasoning_blocks; toolUse blocks to
// Completion::tool_calls), stopReason, usage (inputTokens, outputTokens and the cache counts,
// read as ConverseStream's metadata is: token_usage(), stream.h), and
// additionalModelResponseFields and trace as compact JSON.
// Errors: InvalidResponse when the body is not JSON or has no output.message.content array.
Result<Completion> decode_converse(std::string_view body);

}  // namespace bedrock::models
