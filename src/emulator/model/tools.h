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
// characters derived from the request) whose input is schema_instance() of the tool's schema
// (every required property with a value of its type).
EmulatedAnswer tool_answer(const EmulatedRequest& request);

// A fixture's tool call: the toolUse answer calling `name` when the request offers that tool
// with toolChoice auto or any (a named toolChoice has already picked its tool) and its last turn
// is not a tool result (the model finishes once it has the result). `given_input` (a JSON
// object's text, or empty) sets input members; the schema's required rest is filled in.
// nullopt when the request does not offer the tool.
std::optional<EmulatedAnswer> requested_tool_answer(const EmulatedRequest& request,
                                                    std::string_view name,
                                                    std::string_view given_input);

}  // namespace bedrock::emulator::model::detail
