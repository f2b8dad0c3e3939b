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
}

}  // namespace bedrock::server
