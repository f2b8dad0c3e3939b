#include "routes.h"

#include <chrono>

#include "bedrock/core/clock.h"
#include "bedrock/models/registry.h"
#include "chat_request.h"
#include "chat_request_fast.h"
#include "chat_response.h"
#include "chat_stream_session.h"
#include "models_list.h"
#include "server/json_body.h"
#include "server/request_scope.h"
#include "server/service.h"

namespace bedrock::server::openai {
namespace {

std::int64_t unix_now() {
  return std::chrono::duration_cast<std::chrono::seconds>(system_clock().wall().time_since_epoch())
      .count();
}

HttpError problem_error(const RequestProblem& p) {
  HttpError e;
  e.status = 400;
  e.code = p.code.empty() ? "invalid_value" : p.code;
  e.message = p.message;
  e.param = p.param;
  return e;
}

// A failed call as the caller sees it. A Validation error raised by our own
// checks before anything was sent (no upstream status) keeps its sentence: it
// names the field at fault and is our text, not the service's.
HttpError call_error(const Error& error, const Service& service) {
  HttpError e = from_error(error, service.config().retry_after);
  if (error.code == ErrorCode::Validation && error.http_status == 0) e.message = error.message;
  return e;
}

// The model the caller named, checked against the config and resolved; or the answer to send.
tl::expected<ModelTarget, HttpError> target_for(Service& service, const std::string& name) {
  if (!service.model_allowed(name)) {
    HttpError e;
    e.status = 404;
    e.code = "ResourceNotFound";
    e.message = "The model '" + name + "' does not exist or is not offered by this service.";
    e.param = "model";
    return tl::unexpected(std::move(e));
  }
  std::string model_id = service.resolve_model(name);
  auto resolved = models::ModelRegistry::builtin().resolve(model_id);
  if (!resolved) {
    HttpError e = call_error(resolved.error(), service);
    e.param = "model";
    return tl::unexpected(std::move(e));
  }
  return ModelTarget{std::move(model_id), std::move(resolved->info)};
}

void start_call(Service& service, const ScopePtr& scope, ChatCall& call) {
  call.invoke.timeout = scope->time_left();
  ChatIdentity identity{"chatcmpl-" + scope->request_id(), unix_now(), std::move(call.model)};
  if (call.stream) {
    auto session = std::make_shared<ChatStreamSession>(scope, std::move(identity),
                                                       call.include_usage, call.structured);
    session->start(std::move(call.invoke));
    return;
  }
  auto handle = service.upstream().invoke(
      std::move(call.invoke),
      [scope, &service, identity = std::move(identity)](Result<runtime::InvokeResult> r) {
        if (!r) {
          scope->record_failure(r.error());
          scope->send_error(call_error(r.error(), service));
          return;
        }
        scope->record(r->record);
        net::HttpResponse response{boost::beast::http::status::ok, 11};
        response.set(boost::beast::http::field::content_type, "application/json");
        response.body() = chat_completion_json(identity, r->completion);
        scope->send(std::move(response));
      });
  scope->on_deadline([handle] { handle.cancel(); });
}

void chat_completions(Service& service, const ScopePtr& scope, net::HttpRequest& request) {
  // The common request is read without a DOM; any other goes the full way below, which gives
  // every error (chat_request_fast.h).
  if (json_content_type(request)) {
    if (auto call = parse_chat_request_fast(request.body())) {
      auto target = target_for(service, call->model);
      if (!target) return (void)scope->send_error(target.error());
      call->invoke.model_id = std::move(target->model_id);
      return start_call(service, scope, *call);
    }
  }
  auto body = parse_json_body(request);
  if (!body) return (void)scope->send_error(body.error());
  auto name = requested_model(*body);
  if (!name) return (void)scope->send_error(problem_error(name.error()));
  auto target = target_for(service, *name);
  if (!target) return (void)scope->send_error(target.error());
  auto call = parse_chat_request(*body, *target);
  if (!call) return (void)scope->send_error(problem_error(call.error()));
  start_call(service, scope, *call);
}

void list_models(Service& service, const ScopePtr& scope) {
  std::vector<std::string> names = service.listed_models();
  if (names.empty()) {
    // Any model may be named: list the built-in table.
    for (const auto& m : models::ModelRegistry::builtin().all()) names.push_back(m.id);
  }
  std::vector<std::string> resolved;
  resolved.reserve(names.size());
  for (const auto& n : names) resolved.push_back(service.resolve_model(n));
  net::HttpResponse response{boost::beast::http::status::ok, 11};
  response.set(boost::beast::http::field::content_type, "application/json");
  response.body() = models_list_json(names, resolved, unix_now());
  scope->send(std::move(response));
}

}  // namespace

void add_routes(Router& router, Service& service) {
  router.add({"POST", "/v1/chat/completions", "openai.chat_completions", ErrorStyle::OpenAI,
              [&service](const ScopePtr& scope, net::HttpRequest& request) {
                chat_completions(service, scope, request);
              }});
  router.add(
      {"GET", "/v1/models", "openai.models", ErrorStyle::OpenAI,
       [&service](const ScopePtr& scope, net::HttpRequest&) { list_models(service, scope); }});
}

}  // namespace bedrock::server::openai
