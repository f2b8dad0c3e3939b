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

// Errors: Validation when the prompt or parameters cannot be expressed for the model.
Result<ModelBody> encode_model_body(const models::ModelInfo& model, const InvokeRequest& request);

// Errors: InvalidResponse when the answer is not the expected shape.
Result<models::Completion> decode_model_body(const models::ModelInfo& model, bool converse,
                                             std::string_view body);

}  // namespace bedrock::runtime
