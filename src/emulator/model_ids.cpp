#include "model_ids.h"

#include <fmt/format.h>

#include "fixtures.h"

namespace bedrock::emulator {

std::optional<std::string> model_id_refusal(const models::ResolvedModel& model,
                                            const Fixtures& fixtures) {
  // A fine-tune keeps its base model's id inside its own ARN; Bedrock checks the ARN, not us.
  if (model.arn_resource == "custom-model") return std::nullopt;
  if (model.info.known) {
    if (!model.geo_prefix.empty() || !models::needs_inference_profile(model.base_id))
      return std::nullopt;
    if (fixtures.adds_model(model.base_id)) return std::nullopt;
    return fmt::format(
        "Invocation of model ID {} with on-demand throughput isn\u2019t supported. Retry your "
        "request with the ID or ARN of an inference profile that contains this model.",
        model.base_id);
  }
  if (fixtures.adds_model(model.base_id)) return std::nullopt;
  return std::string(kInvalidModelIdMessage);
}

}  // namespace bedrock::emulator
