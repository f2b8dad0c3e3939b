// Converse extended thinking for Claude 3.7 / 4.x (additionalModelRequestFields.thinking,
// docs/wire-protocol.md §7.1, §8.1): the budget checked with Anthropic's wording as Bedrock
// relays it ("The model returned the following errors: ..."), the answer's reasoning signed,
// and the reasoning blocks a conversation sends back checked against their signatures.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "request.h"
#include "schema_check.h"

namespace bedrock::emulator::model::detail {

// Reads doc["additionalModelRequestFields"]["thinking"] for Claude: {"type":"enabled",
// "budget_tokens": n} sets request.thinking (n ≥ 1024 and below the effective max_tokens);
// {"type":"disabled"} is accepted. Claude models without extended thinking refuse the key as
// their native schema does ("extraneous key [thinking] is not permitted"). Also checks every
// reasoningContent block of the messages: a reasoningText needs its signature, and the
// signature must be the one this emulator gave that text (redactedContent is not checked).
// Call after request.max_tokens is final.
std::optional<Error> check_reasoning(const ModelInfo& model, const Json& doc,
                                     EmulatedRequest& request);

// The signature of a reasoning text: base64 of HMAC-SHA256 under a key drawn once per process,
// so it verifies only in the emulator process that gave it (as Bedrock's only verify at
// Bedrock). Same text, same process -> same signature.
std::string reasoning_signature(std::string_view reasoning_text);

}  // namespace bedrock::emulator::model::detail
