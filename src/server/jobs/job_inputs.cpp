#include "server/jobs/job_inputs.h"

#include <array>

#include "server/api/attachment_models.h"
#include "server/api/plan_run.h"
#include "server/service.h"

namespace bedrock::server::jobs {
namespace {

constexpr std::array<std::string_view, 7> kKinds = {"summarize", "rephrase", "expand", "blog",
                                                    "product",   "social",   "invoke"};

template <typename Request, typename MakePlan>
HttpResult<PreparedJob> planned(content::Task task, HttpResult<Request> parsed, MakePlan make_plan,
                                const Service& service) {
  if (!parsed) return refuse(parsed.error());
  auto model = api::requested_model(service, parsed->common);
  if (!model) return refuse(model.error());
  auto readable = api::check_attachment_models(service, task, parsed->input.attachments, *model);
  if (!readable) return refuse(readable.error());
  auto plan = make_plan(*parsed);
  if (!plan) return refuse(from_error(plan.error()));
  PreparedJob job;
  job.plan = std::move(*plan);
  job.model = std::move(*model);
  return job;
}

HttpResult<PreparedJob> summarize(const nlohmann::json& input, const Service& service) {
  auto parsed = api::read_summarize(input);
  if (!parsed) return refuse(parsed.error());
  auto model = api::requested_model(service, parsed->common);
  if (!model) return refuse(model.error());
  auto readable = api::check_attachment_models(service, content::Task::Summarize,
                                               parsed->input.attachments, *model);
  if (!readable) return refuse(readable.error());
  PreparedJob job;
  job.model = std::move(*model);
  if (parsed->chunking != content::Chunking::Never && parsed->input.attachments.empty()) {
    job.map_reduce = parsed->input;
  }
  if (parsed->chunking == content::Chunking::Always) {
    job.map_reduce_now = true;
    return job;
  }
  auto plan = api::summarize_plan(*parsed);
  if (!plan) return refuse(from_error(plan.error()));
  job.plan = std::move(*plan);
  return job;
}

HttpResult<PreparedJob> invoke(const nlohmann::json& input, const Service& service) {
  auto model = string_field(input, "model", true);
  if (!model) return refuse(model.error());
  if (!service.model_allowed(**model)) {
    return refuse(bad_field("model", "model " + **model + " is not allowed on this server"));
  }
  auto prompt = string_field(input, "prompt", true);
  if (!prompt) return refuse(prompt.error());
  if ((*prompt)->empty()) return refuse(bad_field("prompt", "prompt must not be empty"));
  auto system = string_field(input, "system");
  if (!system) return refuse(system.error());
  auto max_tokens = int_field(input, "max_tokens", 1, 1'000'000);
  if (!max_tokens) return refuse(max_tokens.error());
  auto temperature = number_field(input, "temperature", 0.0, 2.0);
  if (!temperature) return refuse(temperature.error());
  runtime::InvokeRequest request;
  request.model_id = service.resolve_model(**model);
  request.prompt = models::Prompt::from_user(**prompt, system->value_or(""));
  if (*max_tokens) request.params.max_tokens = static_cast<int>(**max_tokens);
  request.params.temperature = *temperature;
  PreparedJob job;
  job.invoke = std::move(request);
  return job;
}

}  // namespace

bool known_kind(std::string_view kind) {
  for (auto k : kKinds) {
    if (k == kind) return true;
  }
  return false;
}

HttpResult<PreparedJob> prepare_job(std::string_view kind, const nlohmann::json& input,
                                    const Service& service) {
  if (!input.is_object()) return refuse(bad_field("input", "input must be a JSON object"));
  if (kind == "summarize") return summarize(input, service);
  if (kind == "rephrase")
    return planned(content::Task::Rephrase, api::read_rephrase(input), api::rephrase_plan, service);
  if (kind == "expand")
    return planned(content::Task::Expand, api::read_expand(input), api::expand_plan, service);
  if (kind == "blog")
    return planned(content::Task::Blog, api::read_blog(input), api::blog_plan, service);
  if (kind == "product")
    return planned(content::Task::Product, api::read_product(input), api::product_plan, service);
  if (kind == "social")
    return planned(content::Task::Social, api::read_social(input), api::social_plan, service);
  if (kind == "invoke") return invoke(input, service);
  return refuse(bad_field("kind",
                          "kind must be summarize, rephrase, expand, blog, product, social or "
                          "invoke"));
}

}  // namespace bedrock::server::jobs
