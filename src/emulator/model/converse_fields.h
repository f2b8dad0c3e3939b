// The Converse members that shape no answer text (docs/wire-protocol.md §8.4): performanceConfig,
// serviceTier, requestMetadata, promptVariables, additionalModelResponseFieldPaths and
// guardrailConfig, checked against the service model's shapes, and what the answer echoes of
// them (§8.2: performanceConfig, serviceTier, trace.guardrail).
#pragma once

#include <optional>
#include <string>

#include "coral_check.h"
#include "request.h"
#include "request_checks.h"

namespace bedrock::emulator::model::detail {

// Adds every service-model violation of those members of `doc` to `check` and records what the
// answer needs in `request`. ConverseStream's guardrailConfig also has streamProcessingMode;
// in Converse that member is unknown and ignored. CountTokens' input has none of them (all
// ignored).
void check_request_fields(CoralCheck& check, const Json& doc, ConverseApi api,
                          EmulatedRequest& request);

// Bedrock's own check after the front end's: every response field path must be a JSON pointer
// (RFC 6901). nullopt when they all are.
std::optional<Error> check_response_field_paths(const EmulatedRequest& request);

// The Converse `trace` object (§8.2) for a request that asked for a guardrail trace, compact
// JSON text; empty when none was asked for.
std::string guardrail_trace(const EmulatedRequest& request);

}  // namespace bedrock::emulator::model::detail
