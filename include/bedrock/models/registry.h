// Maps any model id Bedrock accepts — plain, cross-region inference profile (us./eu./apac./
// global.), or ARN — to its family, limits and on-demand price.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "bedrock/core/result.h"
#include "bedrock/models/types.h"

namespace bedrock::models {

struct ModelInfo {
  std::string id;  // canonical foundation-model id, e.g. "anthropic.claude-3-haiku-20240307-v1:0"
  std::string display_name;  // "Claude 3 Haiku"
  ModelFamily family = ModelFamily::AnthropicMessages;
  int context_window = 0;          // tokens, input + output
  int max_output_tokens = 0;       // per call
  double input_price_per_1k = 0;   // USD, us-east-1 on-demand
  double output_price_per_1k = 0;  // USD
  bool known = true;  // false: id not in the table; limits are the provider's conservative defaults
};

struct ResolvedModel {
  std::string requested_id;  // exactly what the caller passed (sent on the wire)
  std::string base_id;       // with ARN and geo prefixes removed
  std::string geo_prefix;    // "us", "eu", "apac", "global" or empty
  ModelInfo info;
};

// Immutable after construction; thread-safe.
class ModelRegistry {
 public:
  // The built-in table (reference §10).
  static const ModelRegistry& builtin();

  explicit ModelRegistry(std::vector<ModelInfo> models);

  // Errors: ResourceNotFound when neither the id nor its provider prefix is known and no
  // family is given; Validation for an empty or malformed id. An ARN whose tail is not a
  // model id (provisioned-model, imported/custom model) needs `family`.
  Result<ResolvedModel> resolve(std::string_view model_id,
                                std::optional<ModelFamily> family = std::nullopt) const;

  const std::vector<ModelInfo>& all() const { return models_; }

 private:
  std::vector<ModelInfo> models_;
};

}  // namespace bedrock::models
