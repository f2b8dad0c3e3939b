// Structured output on Converse (docs/wire-protocol.md §8.6): which form a request uses and the
// answer that comes back, validated. encode_converse() writes the request side; the client calls
// structured_answer() on every answer (streamed or not) to a request with Prompt::output_schema.
// Pure functions; thread-safe; no I/O.
//
// Native: outputConfig.textFormat = {"type":"json_schema","structure":{"jsonSchema":{"schema":
//   "<the schema as a string>","name"?,"description"?}}}; the answer's text is the JSON.
// Tool: toolConfig with one tool named OutputSchema::name (description = the schema's), its
//   inputSchema the schema, forced (toolChoice "tool" for Claude and Nova, "any" for the other
//   families with tools). Bedrock requires a tool's input schema to be an object, so a schema
//   whose "type" is not "object" is wrapped as {"type":"object","properties":{"value":SCHEMA},
//   "required":["value"]} and the answer unwrapped. The caller's own tools cannot be combined
//   with the Tool form (Validation); with the Native form they can.
#pragma once

#include <string>

#include "bedrock/core/result.h"
#include "bedrock/models/registry.h"
#include "bedrock/models/types.h"

namespace bedrock::models {

// The form used for `schema` on `model`: Native or Tool, never Auto (Auto = the registry's
// ModelInfo::native_structured_output).
StructuredMode structured_form(const OutputSchema& schema, const ModelInfo& model);

// "native" / "tool" (records); "" for Auto.
std::string_view to_string(StructuredMode mode);

// The answer to a structured request: Completion::text is the answer's JSON, compact, validated
// against the schema (json_schema.h); structured says the form. Tool form: the forced tool's input
// (unwrapped) becomes the text, the call is removed from tool_calls and a tool_use stop reason
// reads as EndTurn (raw_stop_reason keeps "tool_use").
// Errors: SchemaMismatch when the answer is not JSON, the Tool form's tool was not called, or the
// JSON does not match the schema (the message names the JSON pointer of the first violation).
Result<Completion> structured_answer(Completion answer, const OutputSchema& schema,
                                     const ModelInfo& model);

}  // namespace bedrock::models
