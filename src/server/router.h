// Method + exact path -> handler. How route authors use it (route groups in src/server/<group>/):
//
//   void add_routes(Router& router, Service& service) {
//     router.add({"POST", "/api/summarize", "api.summarize", ErrorStyle::Content,
//                 [&service](const ScopePtr& scope, net::HttpRequest& request) {
//                   auto body = parse_json_body(request);          // json_body.h
//                   if (!body) return (void)scope->send_error(body.error());
//                   ... service.upstream().invoke(req, [scope](Result<InvokeResult> r) {
//                     if (!r) { scope->record_failure(r.error());
//                               return (void)scope->send_error(from_error(r.error())); }
//                     scope->record(r->record);
//                     scope->send_json(200, {...});               // any thread
//                   });
//                 }});
//   }
//
// The service looks the route up, answers 404 / 405 (with Allow) itself, checks the API key
// (unless `open`), the in-flight cap and the key's limits, then calls the handler on the
// connection's I/O thread with a RequestScope (request_scope.h). The handler must not block
// and must not throw (an exception is logged and answered 500). `name` labels metrics and the
// access log ("api.summarize", "openai.chat_completions"): keep it short, fixed, lower-case.
// Routes are added before the service starts; lookups are then read-only (no lock).
#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <variant>
#include <vector>

#include "bedrock/net/http_types.h"
#include "server/http_error.h"

namespace bedrock::server {

class RequestScope;
using ScopePtr = std::shared_ptr<RequestScope>;
using RouteHandler = std::function<void(const ScopePtr& scope, net::HttpRequest& request)>;

struct Route {
  std::string method;  // "GET", "POST", ...
  // Exact, without the query string; a segment "{name}" matches any one non-empty segment
  // (read it in the handler with path_segment()). Exact paths win over patterns.
  std::string path;
  std::string name;  // metrics and log label
  ErrorStyle style = ErrorStyle::Content;
  RouteHandler handler;
  bool open = false;  // true: no API key needed (health checks)
};

// The outcome of a lookup: the route, or the error to send (404, or 405 with Allow).
struct RouteMatch {
  const Route* route = nullptr;
  std::size_t index = 0;  // dense, 0 .. size()-1; metrics index per-route counters by it
  std::optional<HttpError> error;
};

class Router {
 public:
  // Adds a route. A second route with the same method and path is a programming error: it
  // throws std::logic_error at start-up.
  void add(Route route);

  // `target` may carry a query string (ignored).
  RouteMatch match(std::string_view method, std::string_view target) const;

  std::size_t size() const { return routes_.size(); }
  const Route& at(std::size_t index) const { return routes_[index]; }

 private:
  struct PathEntry {
    std::vector<std::size_t> routes;  // indexes into routes_, one per method
    std::string allow;                // "GET, POST"
  };
  // Transparent, so a lookup by string_view allocates nothing.
  struct PathHash {
    using is_transparent = void;
    std::size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
  };
  PathEntry& entry_for(const std::string& path);
  const PathEntry* pattern_for(std::string_view path) const;

  std::vector<Route> routes_;
  std::unordered_map<std::string, PathEntry, PathHash, std::equal_to<>> paths_;
  std::vector<std::pair<std::string, PathEntry>> patterns_;  // paths with a {name} segment
};

// The `index`th segment of a request target's path ("/v1/jobs/abc?x" index 2: "abc"); empty
// when there is none.
std::string_view path_segment(std::string_view target, std::size_t index);

// The error style for a path no route matched: OpenAI's under /v1/, ours elsewhere.
ErrorStyle style_for_path(std::string_view path);

}  // namespace bedrock::server
