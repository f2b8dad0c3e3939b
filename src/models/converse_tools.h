// Converse tool use (docs/wire-protocol.md §8.1): toolConfig, toolUse and toolResult blocks, and
// the checks Bedrock would otherwise answer with a ValidationException. Private to bedrock_models.
#pragma once

#include <string_view>

#include "bedrock/core/result.h"
#include "bedrock/models/registry.h"
#include "bedrock/models/types.h"
#include "codec_support.h"

namespace bedrock::models::detail {

// Whether the prompt uses tools at all (a tool definition or a tool block in some message).
bool uses_tools(const Prompt& prompt);

// The prompt with each turn's tool results in one user message: a user message that follows a
// user message is merged into it when either carries tool results and at most one has text.
Prompt merge_tool_results(Prompt prompt);

// Tool definitions and blocks checked against the service model (names, ids, JSON) and the family:
// tools only where Converse offers them, a named toolChoice and error status only for Anthropic
// Claude 3+ and Nova, every toolUse answered by a toolResult in the next user turn and every
// toolResult answering a toolUse of the turn before. Errors: Validation naming `api`.
Status validate_tools(const Prompt& prompt, const ModelInfo& model, std::string_view api);

// The message's content blocks: reasoning, tool results, documents, images, text (left out when
// empty and other blocks exist), tool uses. Inputs were validated first.
OJson message_content(const Message& message);

// {"tools":[{"toolSpec":...}], "toolChoice":...?}; call only when tools are defined.
OJson tool_config(const ToolConfig& config);

// A toolUse block of an answer (output.message.content[i].toolUse). Errors: InvalidResponse.
Result<ToolUse> decode_tool_use(const Json& block);

}  // namespace bedrock::models::detail
