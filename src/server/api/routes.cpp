#include "server/api/routes.h"

#include <memory>

#include "server/api/api_inputs.h"
#include "server/api/api_state.h"
#include "server/api/attachment_models.h"
#include "server/api/generation_plan.h"
#include "server/api/plan_run.h"
#include "server/json_body.h"
#include "server/request_scope.h"
#include "server/service.h"

namespace bedrock::server::api {
namespace {

// "async": true hands the body to the job runner; true when it did (the request is answered).
bool submitted_async(const nlohmann::json& body, const std::string& kind, const AsyncSubmit& submit,
                     const ScopePtr& scope) {
  auto async = bool_field(body, "async");
  if (!async) return scope->send_error(async.error()), true;
  if (!async->value_or(false)) return false;
  if (!submit) {
    scope->send_error(bad_field("async", "async jobs are not available on this server"));
    return true;
  }
  submit(scope, kind, body);
  return true;
}

// The route for a generator: read the body, make the plan, run it.
template <typename Read, typename MakePlan>
Route generator_route(content::Task task, std::shared_ptr<ApiState> api, AsyncSubmit submit,
                      Read read, MakePlan make_plan) {
  const std::string kind(content::to_string(task));
  return Route{
      "POST", "/api/" + kind, "api." + kind, ErrorStyle::Content,
      [api, submit, task, kind, read, make_plan](const ScopePtr& scope, net::HttpRequest& request) {
        auto body = parse_json_body(request);
        if (!body) return (void)scope->send_error(body.error());
        if (submitted_async(*body, kind, submit, scope)) return;
        auto parsed = read(*body);
        if (!parsed) return (void)scope->send_error(parsed.error());
        auto model = requested_model(api->service, parsed->common);
        if (!model) return (void)scope->send_error(model.error());
        auto readable =
            check_attachment_models(api->service, task, parsed->input.attachments, *model);
        if (!readable) return (void)scope->send_error(readable.error());
        auto plan = make_plan(*parsed);
        if (!plan) return (void)scope->send_error(from_error(plan.error()));
        RunOptions options;
        options.stream = parsed->common.stream;
        options.model = std::move(*model);
        run_plan(scope, api, std::move(*plan), std::move(options));
      }};
}

void summarize(const std::shared_ptr<ApiState>& api, const AsyncSubmit& submit,
               const ScopePtr& scope, net::HttpRequest& request) {
  auto body = parse_json_body(request);
  if (!body) return (void)scope->send_error(body.error());
  if (submitted_async(*body, "summarize", submit, scope)) return;
  auto parsed = read_summarize(*body);
  if (!parsed) return (void)scope->send_error(parsed.error());
  auto model = requested_model(api->service, parsed->common);
  if (!model) return (void)scope->send_error(model.error());
  auto readable = check_attachment_models(api->service, content::Task::Summarize,
                                          parsed->input.attachments, *model);
  if (!readable) return (void)scope->send_error(readable.error());
  RunOptions options;
  options.stream = parsed->common.stream;
  options.model = std::move(*model);
  // Attachments cannot be split: a summary with them is one call (read_summarize refuses
  // "always" with them).
  if (parsed->chunking != content::Chunking::Never && parsed->input.attachments.empty()) {
    options.map_reduce = parsed->input;
  }
  if (parsed->chunking == content::Chunking::Always) {
    options.map_reduce_now = true;
    return run_plan(scope, api, nullptr, std::move(options));
  }
  auto plan = summarize_plan(*parsed);
  if (!plan) return (void)scope->send_error(from_error(plan.error()));
  run_plan(scope, api, std::move(*plan), std::move(options));
}

}  // namespace

void add_routes(Router& router, Service& service) {
  add_routes(router, service, std::make_shared<ApiState>(service), {});
}

void add_routes(Router& router, Service& service, std::shared_ptr<ApiState> api,
                AsyncSubmit submit) {
  // Map-reduce jobs call upstream() from the pool's threads: they must end before it goes.
  service.on_stop([api] { api->pool.close(); });
  router.add({"POST", "/api/summarize", "api.summarize", ErrorStyle::Content,
              [api, submit](const ScopePtr& scope, net::HttpRequest& request) {
                summarize(api, submit, scope, request);
              }});
  router.add(generator_route(content::Task::Rephrase, api, submit, read_rephrase, rephrase_plan));
  router.add(generator_route(content::Task::Expand, api, submit, read_expand, expand_plan));
  router.add(generator_route(content::Task::Blog, api, submit, read_blog, blog_plan));
  router.add(generator_route(content::Task::Product, api, submit, read_product, product_plan));
  router.add(generator_route(content::Task::Social, api, submit, read_social, social_plan));
}

}  // namespace bedrock::server::api
