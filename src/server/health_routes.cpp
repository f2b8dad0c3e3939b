#include "server/request_scope.h"
#include "server/service.h"

namespace bedrock::server {

void add_health_routes(Router& router, Service& service) {
  router.add({"GET", "/healthz", "healthz", ErrorStyle::Content,
              [](const ScopePtr& scope, net::HttpRequest&) {
                scope->send_json(200, {{"status", "ok"}});
              },
              /*open=*/true});
  router.add({"GET", "/readyz", "readyz", ErrorStyle::Content,
              [&service](const ScopePtr& scope, net::HttpRequest&) {
                if (service.ready()) {
                  scope->send_json(200, {{"status", "ready"}});
                  return;
                }
                HttpError e;
                e.status = 503;
                e.code = "NotReady";
                e.message =
                    "The service is not ready: upstream credentials are not resolved yet or it is "
                    "stopping.";
                e.retry_after = service.config().retry_after;
                scope->send_error(e);
              },
              /*open=*/true});
  router.add({"GET", "/metrics", "metrics", ErrorStyle::Content,
              [&service](const ScopePtr& scope, net::HttpRequest&) {
                net::HttpResponse r{boost::beast::http::status::ok, 11};
                r.set(boost::beast::http::field::content_type,
                      "text/plain; version=0.0.4; charset=utf-8");
                r.body() = service.metrics_text();
                scope->send(std::move(r));
              }});
}

}  // namespace bedrock::server
