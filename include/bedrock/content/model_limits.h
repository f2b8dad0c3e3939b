// What a model accepts, and the pre-flight check every request passes before it is sent.
#pragma once

#include <functional>
#include <string>
#include <string_view>

#include "bedrock/core/result.h"
#include "bedrock/models/types.h"

namespace bedrock::content {

struct ModelLimits {
  std::string model_id;
  models::ModelFamily family = models::ModelFamily::AnthropicMessages;
  int context_window = 0;     // tokens, input + output
  int max_output_tokens = 0;  // per call
  // Converse image / document blocks (models::reads_images, reads_documents); false when the
  // lookup does not say.
  bool reads_images = false;
  bool reads_documents = false;
};

// Looks a model id up; must be thread-safe. Errors as ModelRegistry::resolve.
using LimitsLookup = std::function<Result<ModelLimits>(std::string_view model_id)>;

// The built-in model registry (models::ModelRegistry::builtin()).
LimitsLookup registry_limits();

// Whether a request of `input_tokens` (estimated) asking for up to `output_tokens` fits.
// Errors: Validation when output_tokens exceeds the model's output limit; InputTooLong when
// input + output exceed the context window: the message says by how many tokens and, when
// `chunkable`, that the text can be processed in chunks instead.
Status check_fits(const ModelLimits& limits, int input_tokens, int output_tokens, bool chunkable);

}  // namespace bedrock::content
