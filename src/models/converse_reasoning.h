// Converse reasoning (docs/wire-protocol.md §8): reasoningContent blocks sent back unchanged, and
// the extended-thinking budget in additionalModelRequestFields. Private to bedrock_models.
#pragma once

#include <string_view>

#include "bedrock/core/result.h"
#include "bedrock/models/registry.h"
#include "bedrock/models/types.h"
#include "codec_support.h"

namespace bedrock::models::detail {

// Reasoning blocks only in assistant turns, valid UTF-8; a budget only for models that think
// (Claude 3.7 and 4), at least 1024, below max_tokens, without temperature other than 1 or top_k
// (Anthropic refuses both with thinking). Errors: Validation naming `api`.
Status validate_reasoning(const Prompt& prompt, const InferenceParams& params,
                          const ModelInfo& model, std::string_view api);

// Appends the message's reasoning blocks as reasoningContent, unchanged.
void append_reasoning(const Message& message, OJson& content);

// {"type":"enabled","budget_tokens":n}, Anthropic's thinking field.
OJson thinking_field(int budget_tokens);

// A reasoningContent block of an answer. Errors: InvalidResponse on wrongly typed members.
Result<ReasoningBlock> decode_reasoning(const Json& block);

}  // namespace bedrock::models::detail
