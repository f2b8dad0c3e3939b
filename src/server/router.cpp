#include "server/router.h"

#include <algorithm>
#include <stdexcept>

namespace bedrock::server {

namespace {

// Whether `path` matches `pattern` segment by segment, "{...}" matching any non-empty segment.
bool pattern_matches(std::string_view pattern, std::string_view path) {
  while (!pattern.empty() && !path.empty()) {
    const std::size_t p_end = std::min(pattern.find('/', 1), pattern.size());
    const std::size_t s_end = std::min(path.find('/', 1), path.size());
    const std::string_view p = pattern.substr(0, p_end);
    const std::string_view s = path.substr(0, s_end);
    const bool wildcard = p.size() > 3 && p[1] == '{' && p.back() == '}';
    if (wildcard ? s.size() < 2 : p != s) return false;
    pattern.remove_prefix(p_end);
    path.remove_prefix(s_end);
  }
  return pattern.empty() && path.empty();
}

}  // namespace

Router::PathEntry& Router::entry_for(const std::string& path) {
  if (path.find('{') == std::string::npos) return paths_[path];
  for (auto& p : patterns_) {
    if (p.first == path) return p.second;
  }
  return patterns_.emplace_back(path, PathEntry{}).second;
}

const Router::PathEntry* Router::pattern_for(std::string_view path) const {
  for (const auto& p : patterns_) {
    if (pattern_matches(p.first, path)) return &p.second;
  }
  return nullptr;
}

void Router::add(Route route) {
  PathEntry& entry = entry_for(route.path);
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
  auto it = paths_.find(path);
  const PathEntry* entry = it != paths_.end() ? &it->second : pattern_for(path);
  if (entry == nullptr) {
    m.error = not_found(path);
    return m;
  }
  for (std::size_t i : entry->routes) {
    if (routes_[i].method == method) {
      m.route = &routes_[i];
      m.index = i;
      return m;
    }
  }
  m.error = method_not_allowed(entry->allow);
  return m;
}

std::string_view path_segment(std::string_view target, std::size_t index) {
  std::string_view path = target.substr(0, target.find('?'));
  for (std::size_t i = 0;; ++i) {
    if (path.empty() || path.front() != '/') return {};
    path.remove_prefix(1);
    const std::size_t end = std::min(path.find('/'), path.size());
    if (i == index) return path.substr(0, end);
    path.remove_prefix(end);
  }
}

ErrorStyle style_for_path(std::string_view path) {
  return path.substr(0, 4) == "/v1/" ? ErrorStyle::OpenAI : ErrorStyle::Content;
}

}  // namespace bedrock::server
