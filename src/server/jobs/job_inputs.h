// A job's kind and input, checked and turned into what runs it: the same readers and plans as
// the /api/ endpoint of that kind (api_inputs.h, generation_plan.h), so a job is refused up
// front exactly where the endpoint would refuse the body, and answers what it would answer.
// "invoke" is one raw model call: {model, prompt, system?, max_tokens?, temperature?}.
#pragma once

#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>

#include "bedrock/runtime/invocation.h"
#include "server/api/generation_plan.h"
#include "server/json_body.h"

namespace bedrock::server {
class Service;
}

namespace bedrock::server::jobs {

struct PreparedJob {
  std::unique_ptr<api::GenerationPlan> plan;          // null for map-reduce now and for invoke
  std::optional<content::SummarizeInput> map_reduce;  // summarize: when the text does not fit
  bool map_reduce_now = false;                        // chunking "always"
  std::optional<runtime::InvokeRequest> invoke;       // kind "invoke"
  std::string model;  // the input's "model", resolved: every call's model (empty: the config's)
};

// Whether `kind` names a job kind (summarize, rephrase, expand, blog, product, social, invoke).
bool known_kind(std::string_view kind);

// 400s name the field inside the input ("text"); the route prefixes "input.".
HttpResult<PreparedJob> prepare_job(std::string_view kind, const nlohmann::json& input,
                                    const Service& service);

}  // namespace bedrock::server::jobs
