#include "routes.h"

#include <chrono>

#include "bedrock/core/clock.h"
#include "bedrock/models/registry.h"
#include "chat_request.h"
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

void chat_completions(Service& service, const ScopePtr& scope, net::HttpRequest& request) {
  auto body = parse_json_body(request);
  if (!body) return (void)scope->send_error(body.error());
  auto name = requested_model(*body);
  if (!name) return (void)scope->send_error(problem_error(name.error()));
  if (!service.model_allowed(*name)) {
    HttpError e;
    e.status = 404;
    e.code = "ResourceNotFound";
    e.message = "The model '" + *name + "' does not exist or is not offered by this service.";
    e.param = "model";
    return (void)scope->send_error(e);
  }
  const std::string model_id = service.resolve_model(*name);
  auto resolved = models::ModelRegistry::builtin().resolve(model_id);
  if (!resolved) {
    HttpError e = call_error(resolved.error(), service);
    e.param = "model";
    return (void)scope->send_error(e);
  }
  auto call = parse_chat_request(*body, {model_id, resolved->info});
  if (!call) return (void)scope->send_error(problem_error(call.error()));
  call->invoke.timeout = scope->time_left();
  ChatIdentity identity{"chatcmpl-" + scope->request_id(), unix_now(), call->model};

  if (call->stream) {
    auto session = std::make_shared<ChatStreamSession>(scope, std::move(identity),
                                                       call->include_usage, call->structured);
    session->start(std::move(call->invoke));
    return;
  }
  auto handle = service.upstream().invoke(
      std::move(call->invoke),
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
