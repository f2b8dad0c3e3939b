#include "server/router.h"

#include <stdexcept>

namespace bedrock::server {

void Router::add(Route route) {
  PathEntry& entry = paths_[route.path];
  for (std::size_t i : entry.routes) {
    if (routes_[i].method == route.method) {
      throw std::logic_error("two routes for " + route.method + " " + route.path);
    }
  }
  entry.routes.push_back(routes_.size());
  if (!entry.allow.empty()) entry.allow += ", ";
  entry.allow += route.method;
  routes_.push_back(std::move(route));
}

RouteMatch Router::match(std::string_view method, std::string_view target) const {
  RouteMatch m;
  const std::string_view path = target.substr(0, target.find('?'));
  // C++20 has no heterogeneous lookup for unordered_map without a transparent hash; the key
  // is small and found routes are the hot path, so the temporary string is short-lived.
  auto it = paths_.find(std::string(path));
  if (it == paths_.end()) {
    m.error = not_found(path);
    return m;
  }
  for (std::size_t i : it->second.routes) {
    if (routes_[i].method == method) {
      m.route = &routes_[i];
      m.index = i;
      return m;
    }
  }
  m.error = method_not_allowed(it->second.allow);
  return m;
}

ErrorStyle style_for_path(std::string_view path) {
  return path.substr(0, 4) == "/v1/" ? ErrorStyle::OpenAI : ErrorStyle::Content;
}

}  // namespace bedrock::server
