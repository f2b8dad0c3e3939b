#include "converse_fields.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <initializer_list>

namespace bedrock::emulator::model::detail {
namespace {

// RequestMetadata and PromptVariableMap are "sensitive" in the service model, and the front end
// does not echo sensitive values. Best guess at the exact placeholder: not seen in a captured
// answer.
constexpr std::string_view kRedacted = "'*** Sensitive Data Redacted ***'";

std::string quoted(const Json& v) { return fmt::format("'{}'", shown(v)); }

// Java's String.length() for the ASCII these patterns admit; code points otherwise (a
// non-ASCII string fails the pattern anyway).
std::size_t code_points(std::string_view s) {
  return static_cast<std::size_t>(std::count_if(
      s.begin(), s.end(), [](char c) { return (static_cast<unsigned char>(c) & 0xC0) != 0x80; }));
}

bool lower_alnum(char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'); }
bool digit(char c) { return c >= '0' && c <= '9'; }

const Json* member(const Json& object, std::string_view name) {
  const auto it = object.find(name);
  return it == object.end() || it->is_null() ? nullptr : &*it;
}

// The value when `v` is one of `values`; otherwise empty, with the violation recorded.
std::string enum_value(CoralCheck& check, const Json& v, std::string_view path,
                       std::initializer_list<std::string_view> values) {
  if (!check.type(v, path, v.is_string(), "string")) return {};
  const auto& text = v.get_ref<const std::string&>();
  if (std::find(values.begin(), values.end(), text) != values.end()) return text;
  check.add(quoted(v), path, fmt::format("satisfy enum value set: [{}]", fmt::join(values, ", ")));
  return {};
}

void check_performance(CoralCheck& check, const Json& config, EmulatedRequest& request) {
  if (!check.type(config, "performanceConfig", config.is_object(), "structure")) return;
  if (const Json* latency = member(config, "latency")) {
    request.latency =
        enum_value(check, *latency, "performanceConfig.latency", {"standard", "optimized"});
  }
}

void check_service_tier(CoralCheck& check, const Json& tier, EmulatedRequest& request) {
  if (!check.type(tier, "serviceTier", tier.is_object(), "structure")) return;
  const Json* type = member(tier, "type");
  if (type == nullptr) {
    check.add("null", "serviceTier.type", "not be null");
    return;
  }
  request.service_tier =
      enum_value(check, *type, "serviceTier.type", {"priority", "default", "flex", "reserved"});
}

// RequestMetadataKeyString / ValueString: [a-zA-Z0-9\s:_@$#=/+,-.] (Java's \s; ",-." is the
// range ',' to '.').
bool metadata_text(std::string_view s) {
  return std::all_of(s.begin(), s.end(), [](char c) {
    return lower_alnum(c) || (c >= 'A' && c <= 'Z') || c == ' ' || c == '\t' || c == '\n' ||
           c == '\x0B' || c == '\f' || c == '\r' ||
           std::string_view(":_@$#=/+,-.").find(c) != std::string_view::npos;
  });
}

// Coral words a map key's or value's violations as one constraint listing each broken rule.
void add_map_entry_error(CoralCheck& check, std::string_view path, std::string_view which,
                         const std::vector<std::string>& broken) {
  if (broken.empty()) return;
  check.add_raw(
      kRedacted, path,
      fmt::format("Map {} must satisfy constraint: [{}]", which, fmt::join(broken, ", ")));
}

void check_request_metadata(CoralCheck& check, const Json& map) {
  constexpr std::string_view kPath = "requestMetadata";
  if (!check.type(map, kPath, map.is_object(), "map")) return;
  if (map.empty()) check.add(kRedacted, kPath, "have length greater than or equal to 1");
  if (map.size() > 16) check.add(kRedacted, kPath, "have length less than or equal to 16");
  for (const auto& [key, value] : map.items()) {
    std::vector<std::string> broken;
    const std::size_t key_length = code_points(key);
    if (key_length > 256) broken.emplace_back("Member must have length less than or equal to 256");
    if (key_length < 1) broken.emplace_back("Member must have length greater than or equal to 1");
    if (!metadata_text(key) || key_length < 1 || key_length > 256) {
      broken.emplace_back(
          R"(Member must satisfy regular expression pattern: [a-zA-Z0-9\s:_@$#=/+,-.]{1,256})");
    }
    add_map_entry_error(check, kPath, "keys", broken);
    broken.clear();
    if (!value.is_string()) {
      broken.emplace_back("Member must be of type string");
    } else {
      const auto& text = value.get_ref<const std::string&>();
      const std::size_t length = code_points(text);
      if (length > 256) broken.emplace_back("Member must have length less than or equal to 256");
      if (!metadata_text(text) || length > 256) {
        broken.emplace_back(
            R"(Member must satisfy regular expression pattern: [a-zA-Z0-9\s:_@$#=/+,-.]{0,256})");
      }
    }
    add_map_entry_error(check, kPath, "value", broken);
  }
}

// PromptVariableValues is a union whose one member is `text`. The service model: "ignored if
// you don't specify a prompt resource in the modelId field", and the emulator serves no prompt
// resources, so a well-formed map changes nothing.
void check_prompt_variables(CoralCheck& check, const Json& map) {
  constexpr std::string_view kPath = "promptVariables";
  if (!check.type(map, kPath, map.is_object(), "map")) return;
  for (const auto& [name, value] : map.items()) {
    std::vector<std::string> broken;
    if (!value.is_object()) {
      broken.emplace_back("Member must be of type structure");
    } else if (value.size() != 1 || !value.contains("text")) {
      broken.emplace_back("Member must have exactly one member set");
    } else if (!value["text"].is_string()) {
      broken.emplace_back("Member must be of type string");
    }
    add_map_entry_error(check, kPath, "value", broken);
  }
}

void check_response_paths(CoralCheck& check, const Json& paths, EmulatedRequest& request) {
  constexpr std::string_view kPath = "additionalModelResponseFieldPaths";
  if (!check.type(paths, kPath, paths.is_array(), "list")) return;
  if (paths.size() > 10) {
    check.add(quoted(paths), kPath, "have length less than or equal to 10");
    return;
  }
  for (std::size_t i = 0; i < paths.size(); ++i) {
    const std::string where = fmt::format("{}.{}.member", kPath, i + 1);
    if (!check.type(paths[i], where, paths[i].is_string(), "string")) continue;
    const auto& p = paths[i].get_ref<const std::string&>();
    if (p.empty()) {
      check.add("''", where, "have length greater than or equal to 1");
    } else if (code_points(p) > 256) {
      check.add(quoted(paths[i]), where, "have length less than or equal to 256");
    } else {
      request.response_field_paths.push_back(p);
    }
  }
}

// GuardrailIdentifier: (|([a-z0-9]+)|(arn:aws(-[^:]+)?:bedrock:[a-z0-9-]{1,20}:[0-9]{12}:
// guardrail/[a-z0-9]+)), matched whole. Returns the guardrail's id, or nullopt.
std::optional<std::string_view> guardrail_id(std::string_view id) {
  const auto all = [](std::string_view s, auto pred) {
    return !s.empty() && std::all_of(s.begin(), s.end(), pred);
  };
  if (id.empty() || all(id, lower_alnum)) return id;
  constexpr std::string_view kArn = "arn:aws";
  if (id.substr(0, kArn.size()) != kArn) return std::nullopt;
  std::string_view rest = id.substr(kArn.size());
  if (!rest.empty() && rest.front() == '-') {
    const auto colon = rest.find(':');
    if (colon == std::string_view::npos || colon < 2) return std::nullopt;
    rest.remove_prefix(colon);
  }
  constexpr std::string_view kService = ":bedrock:";
  if (rest.substr(0, kService.size()) != kService) return std::nullopt;
  rest.remove_prefix(kService.size());
  const auto colon = rest.find(':');
  if (colon == std::string_view::npos || colon > 20 ||
      !all(rest.substr(0, colon), [](char c) { return lower_alnum(c) || c == '-'; })) {
    return std::nullopt;
  }
  rest.remove_prefix(colon + 1);
  constexpr std::string_view kResource = ":guardrail/";
  if (rest.size() < 12 || !all(rest.substr(0, 12), digit) ||
      rest.substr(12, kResource.size()) != kResource) {
    return std::nullopt;
  }
  rest.remove_prefix(12 + kResource.size());
  if (!all(rest, lower_alnum)) return std::nullopt;
  return rest;
}

// GuardrailVersion: (|([1-9][0-9]{0,7})|(DRAFT)).
bool guardrail_version_ok(std::string_view v) {
  if (v.empty() || v == "DRAFT") return true;
  return v.size() <= 8 && v.front() != '0' && std::all_of(v.begin(), v.end(), digit);
}

void check_guardrail(CoralCheck& check, const Json& config, ConverseApi api,
                     EmulatedRequest& request) {
  if (!check.type(config, "guardrailConfig", config.is_object(), "structure")) return;
  if (const Json* id = member(config, "guardrailIdentifier")) {
    const std::string path = "guardrailConfig.guardrailIdentifier";
    if (check.type(*id, path, id->is_string(), "string")) {
      const auto& text = id->get_ref<const std::string&>();
      if (text.size() > 2048)
        check.add(quoted(*id), path, "have length less than or equal to 2048");
      const auto short_id = guardrail_id(text);
      if (!short_id) {
        check.add(quoted(*id), path,
                  "satisfy regular expression pattern: (|([a-z0-9]+)|(arn:aws(-[^:]+)?:bedrock:"
                  "[a-z0-9-]{1,20}:[0-9]{12}:guardrail/[a-z0-9]+))");
      } else if (text.size() <= 2048) {
        request.guardrail_id = std::string(*short_id);
      }
    }
  }
  if (const Json* version = member(config, "guardrailVersion")) {
    const std::string path = "guardrailConfig.guardrailVersion";
    if (check.type(*version, path, version->is_string(), "string")) {
      if (guardrail_version_ok(version->get_ref<const std::string&>())) {
        request.guardrail_version = version->get<std::string>();
      } else {
        check.add(quoted(*version), path,
                  "satisfy regular expression pattern: (|([1-9][0-9]{0,7})|(DRAFT))");
      }
    }
  }
  if (const Json* trace = member(config, "trace")) {
    request.guardrail_trace =
        enum_value(check, *trace, "guardrailConfig.trace", {"enabled", "disabled", "enabled_full"});
  }
  if (api != ConverseApi::ConverseStream) return;  // GuardrailConfiguration has no such member
  if (const Json* mode = member(config, "streamProcessingMode")) {
    enum_value(check, *mode, "guardrailConfig.streamProcessingMode", {"sync", "async"});
  }
}

}  // namespace

void check_request_fields(CoralCheck& check, const Json& doc, ConverseApi api,
                          EmulatedRequest& request) {
  if (api == ConverseApi::CountTokens) return;
  if (const Json* v = member(doc, "performanceConfig")) check_performance(check, *v, request);
  if (const Json* v = member(doc, "serviceTier")) check_service_tier(check, *v, request);
  if (const Json* v = member(doc, "requestMetadata")) check_request_metadata(check, *v);
  if (const Json* v = member(doc, "promptVariables")) check_prompt_variables(check, *v);
  if (const Json* v = member(doc, "additionalModelResponseFieldPaths")) {
    check_response_paths(check, *v, request);
  }
  if (const Json* v = member(doc, "guardrailConfig")) check_guardrail(check, *v, api, request);
}

std::optional<Error> check_response_field_paths(const EmulatedRequest& request) {
  for (const std::string& path : request.response_field_paths) {
    bool ok = path.front() == '/';
    for (std::size_t i = 0; ok && i < path.size(); ++i) {
      if (path[i] == '~') ok = i + 1 < path.size() && (path[i + 1] == '0' || path[i + 1] == '1');
    }
    if (ok) continue;
    // Bedrock answers a malformed pointer with a 400 (service model documentation); best guess
    // at its wording, not seen in a captured answer.
    return validation_error(
        fmt::format("The JSON Pointer '{}' in additionalModelResponseFieldPaths is not valid. "
                    "Check the syntax and try again.",
                    shown(Json(path))));
  }
  return std::nullopt;
}

std::string guardrail_trace(const EmulatedRequest& request) {
  if (request.guardrail_id.empty() ||
      (request.guardrail_trace != "enabled" && request.guardrail_trace != "enabled_full")) {
    return {};
  }
  // The emulator's guardrails hold no policies, so nothing is assessed and nothing intervenes:
  // one empty assessment of the input and of the output under the guardrail's id.
  Json assessment = Json::object();
  Json trace = {{"guardrail",
                 {{"inputAssessment", {{request.guardrail_id, assessment}}},
                  {"outputAssessments", {{request.guardrail_id, Json::array({assessment})}}}}}};
  return trace.dump();
}

}  // namespace bedrock::emulator::model::detail
