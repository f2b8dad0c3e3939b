// Request bodies and answers per API: the family's native InvokeModel body (models codecs) or
// a Converse body, plus the headers each carries. Private to the runtime.
#pragma once

#include <string>

#include "bedrock/core/result.h"
#include "bedrock/models/registry.h"
#include "bedrock/models/types.h"
#include "bedrock/runtime/client_options.h"
#include "bedrock/runtime/invocation.h"
#include "request_builder.h"

namespace bedrock::runtime {

struct ModelBody {
  std::string body;
  BedrockHeaders headers;
};

// `stream`: the body is for the streaming operation (ConverseStream takes guardrail
// streamProcessingMode). Errors: Validation when the prompt or parameters cannot be expressed
// for the model, or Converse fields are set on a native call.
Result<ModelBody> encode_model_body(const models::ModelInfo& model, const InvokeRequest& request,
                                    bool stream);

// Errors: InvalidResponse when the answer is not the expected shape.
Result<models::Completion> decode_model_body(const models::ModelInfo& model, bool converse,
                                             std::string_view body);

// The CountTokens body (docs/wire-protocol.md §1.2) for a body encode_model_body() made:
// {"input":{"invokeModel":{"body":"<base64 of the native body>"}}}, or for Converse
// {"input":{"converse":{...}}} with the members ConverseTokensRequest has (messages, system,
// toolConfig, additionalModelRequestFields). Errors: Validation when a Converse body is not an
// object.
Result<std::string> count_tokens_body(const std::string& model_body, bool converse);

// {"inputTokens": N} -> N. Errors: InvalidResponse for anything else.
Result<int> decode_count_tokens(std::string_view body);

}  // namespace bedrock::runtime
