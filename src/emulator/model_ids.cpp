#include "model_ids.h"

#include <fmt/format.h>

#include <algorithm>
#include <array>

#include "fixtures.h"

namespace bedrock::emulator {
namespace {

// Models whose plain id Bedrock refuses with its on-demand-throughput error: they are offered
// only through inference profiles. Sorted for the binary search (checked at build time).
constexpr std::array<std::string_view, 11> kProfileOnly = {
    "amazon.nova-premier-v1:0",
    "anthropic.claude-3-7-sonnet-20250219-v1:0",
    "anthropic.claude-haiku-4-5-20251001-v1:0",
    "anthropic.claude-opus-4-20250514-v1:0",
    "anthropic.claude-sonnet-4-20250514-v1:0",
    "deepseek.r1-v1:0",
    "meta.llama3-2-11b-instruct-v1:0",
    "meta.llama3-2-1b-instruct-v1:0",
    "meta.llama3-2-3b-instruct-v1:0",
    "meta.llama3-2-90b-instruct-v1:0",
    "meta.llama3-3-70b-instruct-v1:0",
};

static_assert(std::is_sorted(kProfileOnly.begin(), kProfileOnly.end()));

}  // namespace

bool needs_inference_profile(std::string_view base_id) {
  return std::binary_search(kProfileOnly.begin(), kProfileOnly.end(), base_id);
}

std::optional<std::string> model_id_refusal(const models::ResolvedModel& model,
                                            const Fixtures& fixtures) {
  // A fine-tune keeps its base model's id inside its own ARN; Bedrock checks the ARN, not us.
  if (model.arn_resource == "custom-model") return std::nullopt;
  if (model.info.known) {
    if (!model.geo_prefix.empty() || !needs_inference_profile(model.base_id)) return std::nullopt;
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
