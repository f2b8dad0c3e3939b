#include "cache_points.h"

#include <fmt/format.h>

#include <vector>

namespace bedrock::models::detail {
namespace {

std::string_view ttl_name(CacheTtl ttl) {
  switch (ttl) {
    case CacheTtl::FiveMinutes:
      return "5m";
    case CacheTtl::OneHour:
      return "1h";
    case CacheTtl::Default:
      break;
  }
  return {};
}

// Where a cache point stands, for messages: "the tools", "the system prompt", "message 3".
struct Placed {
  std::string where;
  CacheTtl ttl;
};

std::vector<Placed> placed_points(const Prompt& prompt) {
  std::vector<Placed> points;
  if (prompt.tools.cache_point) points.push_back({"the tools", prompt.tools.cache_point->ttl});
  if (prompt.system_cache_point) {
    points.push_back({"the system prompt", prompt.system_cache_point->ttl});
  }
  for (std::size_t i = 0; i < prompt.messages.size(); ++i) {
    if (const auto& point = prompt.messages[i].cache_point) {
      points.push_back({fmt::format("message {}", i + 1), point->ttl});
    }
  }
  return points;
}

}  // namespace

OJson cache_point_block(const CachePoint& point) {
  OJson block{{"type", "default"}};
  if (const auto ttl = ttl_name(point.ttl); !ttl.empty()) block["ttl"] = ttl;
  return {{"cachePoint", std::move(block)}};
}

void append_cache_control(std::string& out, const CachePoint& point) {
  out += R"(,"cache_control":{"type":"ephemeral")";
  if (const auto ttl = ttl_name(point.ttl); !ttl.empty()) {
    out += R"(,"ttl":")";
    out += ttl;
    out += '"';
  }
  out += '}';
}

Status validate_cache_points(const Prompt& prompt, std::string_view api, bool sent) {
  if (prompt.system_cache_point && prompt.system.empty()) {
    return param_error(api, "system_cache_point",
                       "a cache point after the system prompt needs one");
  }
  if (prompt.tools.cache_point && prompt.tools.tools.empty()) {
    return param_error(api, "tools", "a cache point after the tools needs at least one tool");
  }
  if (!sent) return {};
  const std::vector<Placed> points = placed_points(prompt);
  if (points.size() > static_cast<std::size_t>(kMaxCachePoints)) {
    return param_error(api, "cache_point",
                       fmt::format("{} cache points; a request may carry at most {}", points.size(),
                                   kMaxCachePoints));
  }
  return {};
}

Status validate_cache_ttl_order(const Prompt& prompt, std::string_view api) {
  const Placed* short_ttl = nullptr;
  for (const Placed& p : placed_points(prompt)) {
    if (p.ttl != CacheTtl::OneHour) {
      if (short_ttl == nullptr) short_ttl = &p;
    } else if (short_ttl != nullptr) {
      return param_error(api, "cache_point",
                         fmt::format("the 1h cache point after {} follows the 5m one after {}; "
                                     "1h points must come first (tools, system, messages order)",
                                     p.where, short_ttl->where));
    }
  }
  return {};
}

}  // namespace bedrock::models::detail
