#include "server/api/routes.h"

#include <memory>

#include "server/api/api_inputs.h"
#include "server/api/api_state.h"
#include "server/api/generation_plan.h"
#include "server/api/plan_run.h"
#include "server/json_body.h"
#include "server/request_scope.h"
#include "server/service.h"

namespace bedrock::server::api {
namespace {

// The body's "model" as the calls name it, or the 404 for a model this service does not offer.
HttpResult<std::string> requested_model(const Service& service, const Common& common) {
  if (common.model.empty()) return std::string();
  if (!service.model_allowed(common.model)) {
    HttpError e = bad_field("model", "The model '" + common.model +
                                         "' does not exist or is not offered by this service.");
    e.status = 404;
    e.code = "ResourceNotFound";
    return refuse(std::move(e));
  }
  return service.resolve_model(common.model);
}

// The route for a generator: read the body, make the plan, run it.
template <typename Read, typename MakePlan>
Route generator_route(std::string path, std::string name, std::shared_ptr<ApiState> api, Read read,
                      MakePlan make_plan) {
  return Route{"POST", std::move(path), std::move(name), ErrorStyle::Content,
               [api, read, make_plan](const ScopePtr& scope, net::HttpRequest& request) {
                 auto body = parse_json_body(request);
                 if (!body) return (void)scope->send_error(body.error());
                 auto parsed = read(*body);
                 if (!parsed) return (void)scope->send_error(parsed.error());
                 auto model = requested_model(api->service, parsed->common);
                 if (!model) return (void)scope->send_error(model.error());
                 auto plan = make_plan(*parsed);
                 if (!plan) return (void)scope->send_error(from_error(plan.error()));
                 RunOptions options;
                 options.stream = parsed->common.stream;
                 options.model = std::move(*model);
                 run_plan(scope, api, std::move(*plan), std::move(options));
               }};
}

void summarize(const std::shared_ptr<ApiState>& api, const ScopePtr& scope,
               net::HttpRequest& request) {
  auto body = parse_json_body(request);
  if (!body) return (void)scope->send_error(body.error());
  auto parsed = read_summarize(*body);
  if (!parsed) return (void)scope->send_error(parsed.error());
  auto model = requested_model(api->service, parsed->common);
  if (!model) return (void)scope->send_error(model.error());
  RunOptions options;
  options.stream = parsed->common.stream;
  options.model = std::move(*model);
  if (parsed->chunking != content::Chunking::Never) options.map_reduce = parsed->input;
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
  auto api = std::make_shared<ApiState>(service);
  // Map-reduce jobs call upstream() from the pool's threads: they must end before it goes.
  service.on_stop([api] { api->pool.close(); });
  router.add({"POST", "/api/summarize", "api.summarize", ErrorStyle::Content,
              [api](const ScopePtr& scope, net::HttpRequest& request) {
                summarize(api, scope, request);
              }});
  router.add(generator_route("/api/rephrase", "api.rephrase", api, read_rephrase, rephrase_plan));
  router.add(generator_route("/api/expand", "api.expand", api, read_expand, expand_plan));
  router.add(generator_route("/api/blog", "api.blog", api, read_blog, blog_plan));
  router.add(generator_route("/api/product", "api.product", api, read_product, product_plan));
  router.add(generator_route("/api/social", "api.social", api, read_social, social_plan));
}

}  // namespace bedrock::server::api
