// Request validation as Bedrock does it: a native InvokeModel body per family, or a Converse
// body, becomes an EmulatedRequest or Bedrock's own error.
//
// Reference: docs/wire-protocol.md §2 (errors), §7 (native bodies),
// §8 (Converse), §10 (limits).
#pragma once

#include <string_view>

#include "bedrock/core/result.h"
#include "request.h"

namespace bedrock::emulator::model {

// Validates a native InvokeModel body for `model.family` as Bedrock does. Errors: Validation
// (http_status 400, aws_type "ValidationException") with Bedrock's message style, e.g.
// "Malformed input request: #: required key [max_tokens] not found, please reformat your
// input and try again." (one schema violation names its JSON pointer; several give
// "N schema violations found"); model-side checks (Anthropic role order, max_tokens above
// the model's limit) use the model provider's own wording. A request whose input_tokens
// exceed the context window of a known model gets "Input is too long for requested model."
// (also from parse_converse_request).
Result<EmulatedRequest> parse_native_request(const ModelInfo& model, std::string_view body);

// Which operation a Converse-shaped body came with: its members differ (ConverseStream's
// guardrailConfig adds streamProcessingMode; CountTokens' converse input has only messages,
// system, toolConfig and additionalModelRequestFields, docs/wire-protocol.md §8.4).
enum class ConverseApi { Converse, ConverseStream, CountTokens };

// Validates a Converse body (service model shapes, docs/wire-protocol.md §8.1) for `model`. Errors:
// Validation with the AWS wording ("1 validation error detected: Value '1.5' at
// 'inferenceConfig.temperature' failed to satisfy constraint: ...", "A conversation must
// start with a user message. ...", "The maximum tokens you requested exceeds the model
// limit of N. ...", "This model doesn't support the stopSequences field. ..." for Llama and
// Mistral chat). Members the service model does not know are ignored, as AWS JSON does; a
// body that is not a JSON object is a Validation error with aws_type "SerializationException".
// max_tokens defaults to the model's output limit (the service model's documented default).
Result<EmulatedRequest> parse_converse_request(const ModelInfo& model, std::string_view body,
                                               ConverseApi api = ConverseApi::Converse);

}  // namespace bedrock::emulator::model
