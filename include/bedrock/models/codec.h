// One codec per model family: Prompt + InferenceParams -> native InvokeModel body, and native
// response body -> Completion. Pure functions of their inputs; thread-safe; no I/O.
#pragma once

#include <string>
#include <string_view>

#include "bedrock/core/result.h"
#include "bedrock/models/registry.h"
#include "bedrock/models/types.h"

namespace bedrock::models {

class ModelCodec {
 public:
  virtual ~ModelCodec() = default;
  virtual ModelFamily family() const = 0;

  // Errors: Validation when the prompt or params cannot be expressed for this family or are
  // out of the model's range (max tokens above its output limit, temperature out of range).
  // Parameters the family does not support follow the documented rule of each codec.
  virtual Result<std::string> encode(const Prompt& prompt, const InferenceParams& params,
                                     const ModelInfo& model) const = 0;

  // Errors: InvalidResponse when the body is not the family's response shape.
  virtual Result<Completion> decode(std::string_view body) const = 0;
};

// The codec for a family; lives for the whole program.
const ModelCodec& codec_for(ModelFamily family);

}  // namespace bedrock::models
