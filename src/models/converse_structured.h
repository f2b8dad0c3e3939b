// The request side of structured output in Converse (docs/wire-protocol.md §8.6). Private to
// bedrock_models.
#pragma once

#include <string>
#include <string_view>

#include "bedrock/core/result.h"
#include "bedrock/models/registry.h"
#include "bedrock/models/types.h"
#include "codec_support.h"

namespace bedrock::models::detail {

// The tool name of the Tool form: OutputSchema::name, or "structured_output" when empty.
std::string structured_tool_name(const OutputSchema& schema);

// Whether the Tool form wraps `schema` in a "value" property (its type is not "object").
bool wraps_schema(const Json& schema);

// Prepares a request with Prompt::output_schema: checks the schema (a JSON object, a valid name,
// UTF-8) and the form against the prompt; for the Tool form adds the forced tool to
// prompt.tools. Returns the outputConfig object for the Native form, null for the Tool form.
// Errors: Validation naming `api`.
Result<OJson> apply_output_schema(Prompt& prompt, const ModelInfo& model, std::string_view api);

}  // namespace bedrock::models::detail
