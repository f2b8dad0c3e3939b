// Which model ids the emulator serves, as Bedrock decides it (docs/wire-protocol.md §7, §10):
// an id Bedrock does not know is refused, and so is the plain id of a model Bedrock serves only
// through a cross-region inference profile. Ids added with --model or a fixture's "models" are
// served as they are.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "bedrock/models/registry.h"

namespace bedrock::emulator {

class Fixtures;

// The message Bedrock answers for an id that names no model.
inline constexpr std::string_view kInvalidModelIdMessage =
    "The provided model identifier is invalid.";

// nullopt when the resolved id is served; otherwise the ValidationException message Bedrock
// answers for it. Costs one table lookup for a served plain id.
std::optional<std::string> model_id_refusal(const models::ResolvedModel& model,
                                            const Fixtures& fixtures);

}  // namespace bedrock::emulator
