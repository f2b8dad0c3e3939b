// Converse tools on the emulator's side (docs/wire-protocol.md §8): toolConfig checked per
// family as Bedrock does, toolUse / toolResult blocks in messages checked against each other,
// and the deterministic tool call a forced toolChoice gets.
#pragma once

#include <optional>

#include "answer.h"
#include "request.h"
#include "schema_check.h"

namespace bedrock::emulator::model::detail {

// Whether Converse takes toolConfig for the model, and toolChoice any / tool.
bool supports_tools(const ModelInfo& model);
bool supports_forced_tool_choice(const ModelInfo& model);

// Checks doc["toolConfig"] (when present) and the toolUse / toolResult blocks of
// doc["messages"] (already known to be a list of objects); records the forced tool in
// `request`. The error is Bedrock's ValidationException wording.
std::optional<Error> check_tools(const ModelInfo& model, const Json& doc, EmulatedRequest& request);

// The answer to a request with a forced tool: one toolUse block (id "tooluse_" + 22 base62
// characters derived from the request) whose input sets every required property of the
// tool's schema with a value of its type (the first "enum" value when there is one).
EmulatedAnswer tool_answer(const EmulatedRequest& request);

}  // namespace bedrock::emulator::model::detail
