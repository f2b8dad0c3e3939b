// Kept apart from model_limits.cpp so code and tests that inject their own LimitsLookup do not
// link the registry.
#include "bedrock/content/model_limits.h"
#include "bedrock/models/registry.h"

namespace bedrock::content {

LimitsLookup registry_limits() {
  return [](std::string_view model_id) -> Result<ModelLimits> {
    auto resolved = models::ModelRegistry::builtin().resolve(model_id);
    if (!resolved) return fail(resolved.error());
    return ModelLimits{std::string(model_id),
                       resolved->info.family,
                       resolved->info.context_window,
                       resolved->info.max_output_tokens,
                       models::reads_images(resolved->base_id),
                       models::reads_documents(resolved->base_id)};
  };
}

}  // namespace bedrock::content
