// Converse structured output (outputConfig.textFormat, docs/wire-protocol.md §8.1): checked as
// the service model and Bedrock do, and answered with JSON text that fits the schema.
#pragma once

#include <optional>

#include "answer.h"
#include "request.h"
#include "schema_check.h"

namespace bedrock::emulator::model::detail {

// Checks doc["outputConfig"] (when present) and records the schema in request.output_schema.
// Errors: the Coral wording for shapes ("1 validation error detected: Value null at
// 'outputConfig.textFormat.type' failed to satisfy constraint: Member must not be null"),
// "This model doesn't support the outputConfig.textFormat field. ..." for models without
// structured output, and a refusal of a schema that is not a JSON object.
std::optional<Error> check_output_config(const ModelInfo& model, const Json& doc,
                                         EmulatedRequest& request);

// The answer to a request with a schema: schema_instance() of it as compact JSON text, cut by
// stop sequences and max_tokens as any answer is.
EmulatedAnswer structured_answer(const EmulatedRequest& request);

}  // namespace bedrock::emulator::model::detail
