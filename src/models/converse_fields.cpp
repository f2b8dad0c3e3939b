// Converse request fields beyond prompt and sampling: constraints from the Bedrock Runtime service
// model (shapes RequestMetadata, GuardrailConfiguration, PerformanceConfiguration, ServiceTier,
// ConverseRequestAdditionalModelResponseFieldPathsList).
#include "converse_fields.h"

#include <fmt/format.h>

#include <algorithm>
#include <set>

#include "bedrock/core/json_nesting.h"
#include "bedrock/core/utf8.h"

namespace bedrock::models::detail {
namespace {

constexpr std::size_t kMaxMetadataEntries = 16;
constexpr std::size_t kMaxMetadataBytes = 256;
constexpr std::size_t kMaxResponsePaths = 10;
constexpr std::size_t kMaxResponsePathBytes = 256;
constexpr std::size_t kMaxGuardrailIdBytes = 2048;

bool lower_alnum(char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'); }
bool digit(char c) { return c >= '0' && c <= '9'; }

// RequestMetadataKeyString / ValueString: [a-zA-Z0-9\s:_@$#=/+,-.] (",-." is the range , - .).
bool metadata_text(std::string_view s) {
  return std::all_of(s.begin(), s.end(), [](char c) {
    const bool alnum = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || digit(c);
    const bool space = c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
    return alnum || space || std::string_view(":_@$#=/+,-.").find(c) != std::string_view::npos;
  });
}

// GuardrailIdentifier: [a-z0-9]+ or arn:aws(-x)?:bedrock:REGION:ACCOUNT:guardrail/[a-z0-9]+.
bool valid_guardrail_id(std::string_view id) {
  if (id.empty() || id.size() > kMaxGuardrailIdBytes) return false;
  if (std::all_of(id.begin(), id.end(), lower_alnum)) return true;
  constexpr std::string_view kArn = "arn:aws";
  if (id.substr(0, kArn.size()) != kArn) return false;
  const auto slash = id.rfind(":guardrail/");
  if (slash == std::string_view::npos) return false;
  const std::string_view tail = id.substr(slash + 11);
  if (tail.empty() || !std::all_of(tail.begin(), tail.end(), lower_alnum)) return false;
  // arn:aws[-partition]:bedrock:REGION:ACCOUNT
  const std::string_view head = id.substr(0, slash);
  const auto account = head.rfind(':');
  if (account == std::string_view::npos || head.size() - account - 1 != 12) return false;
  const std::string_view digits = head.substr(account + 1);
  if (!std::all_of(digits.begin(), digits.end(), digit)) return false;
  return head.find(":bedrock:") != std::string_view::npos && is_valid_utf8(head);
}

// GuardrailVersion: DRAFT or 1-99999999.
bool valid_guardrail_version(std::string_view v) {
  if (v == "DRAFT") return true;
  return !v.empty() && v.size() <= 8 && v.front() != '0' && std::all_of(v.begin(), v.end(), digit);
}

// RFC 6901: empty is the whole document (Bedrock refuses it), else "/" segments with ~0 ~1 only.
bool valid_json_pointer(std::string_view p) {
  if (p.empty() || p.front() != '/' || !is_valid_utf8(p)) return false;
  for (std::size_t i = 0; i < p.size(); ++i) {
    if (p[i] != '~') continue;
    if (i + 1 >= p.size() || (p[i + 1] != '0' && p[i + 1] != '1')) return false;
  }
  return true;
}

Status validate_guardrail(const GuardrailConfig& g, bool stream, std::string_view api) {
  if (!valid_guardrail_id(g.identifier)) {
    return param_error(api, "guardrail",
                       "the identifier must be [a-z0-9]+ or a guardrail ARN "
                       "(arn:aws:bedrock:REGION:ACCOUNT:guardrail/ID)");
  }
  if (!valid_guardrail_version(g.version)) {
    return param_error(api, "guardrail", "the version must be DRAFT or a number 1-99999999");
  }
  if (g.stream_processing_mode != GuardrailStreamMode::Unset && !stream) {
    return param_error(api, "guardrail",
                       "streamProcessingMode applies only to ConverseStream; stream the call or "
                       "leave it unset");
  }
  return {};
}

Status validate_metadata(const ConverseOptions& options, std::string_view api) {
  if (options.request_metadata.size() > kMaxMetadataEntries) {
    return param_error(api, "request_metadata",
                       fmt::format("{} entries given; at most {} are accepted",
                                   options.request_metadata.size(), kMaxMetadataEntries));
  }
  std::set<std::string_view> keys;
  for (const auto& [key, value] : options.request_metadata) {
    if (key.empty() || key.size() > kMaxMetadataBytes || !metadata_text(key)) {
      return param_error(api, "request_metadata",
                         "a key must be 1-256 characters of letters, digits, whitespace and "
                         ":_@$#=/+,-.");
    }
    if (value.size() > kMaxMetadataBytes || !metadata_text(value)) {
      return param_error(api, "request_metadata",
                         fmt::format("the value of \"{}\" must be 0-256 characters of letters, "
                                     "digits, whitespace and :_@$#=/+,-.",
                                     key));
    }
    if (!keys.insert(key).second) {
      return param_error(api, "request_metadata", fmt::format("key \"{}\" is given twice", key));
    }
  }
  return {};
}

Status validate_variables(const ConverseOptions& options, std::string_view api) {
  std::set<std::string_view> names;
  for (const auto& [name, value] : options.prompt_variables) {
    if (name.empty() || !is_valid_utf8(name) || !is_valid_utf8(value)) {
      return param_error(api, "prompt_variables",
                         "a variable needs a non-empty name, and names and values must be valid "
                         "UTF-8");
    }
    if (!names.insert(name).second) {
      return param_error(api, "prompt_variables",
                         fmt::format("variable \"{}\" is given twice", name));
    }
  }
  return {};
}

Status validate_paths(const ConverseOptions& options, std::string_view api) {
  if (options.additional_response_field_paths.size() > kMaxResponsePaths) {
    return param_error(
        api, "additional_response_field_paths",
        fmt::format("{} paths given; at most {} are accepted",
                    options.additional_response_field_paths.size(), kMaxResponsePaths));
  }
  for (const std::string& path : options.additional_response_field_paths) {
    if (path.size() > kMaxResponsePathBytes || !valid_json_pointer(path)) {
      return param_error(api, "additional_response_field_paths",
                         "each path must be a JSON pointer of 1-256 characters starting with '/' "
                         "(e.g. \"/stop_sequence\")");
    }
  }
  return {};
}

OJson parse_fields(std::string_view text) {
  return OJson::parse(text, nullptr, /*allow_exceptions=*/false);
}

std::string_view trace_name(GuardrailTrace trace) {
  switch (trace) {
    case GuardrailTrace::Enabled:
      return "enabled";
    case GuardrailTrace::Disabled:
      return "disabled";
    case GuardrailTrace::EnabledFull:
      return "enabled_full";
    case GuardrailTrace::Unset:
      break;
  }
  return {};
}

std::string_view tier_name(ServiceTier tier) {
  switch (tier) {
    case ServiceTier::Priority:
      return "priority";
    case ServiceTier::Default:
      return "default";
    case ServiceTier::Flex:
      return "flex";
    case ServiceTier::Reserved:
      return "reserved";
  }
  return "default";
}

}  // namespace

Status validate_options(const ConverseOptions& options, bool stream, std::string_view api) {
  if (options.guardrail) {
    if (auto ok = validate_guardrail(*options.guardrail, stream, api); !ok) return ok;
  }
  if (auto ok = validate_metadata(options, api); !ok) return ok;
  if (auto ok = validate_variables(options, api); !ok) return ok;
  if (auto ok = validate_paths(options, api); !ok) return ok;
  const std::string& fields = options.additional_request_fields_json;
  if (!fields.empty()) {
    if (json_nesting_exceeds(fields) || !parse_fields(fields).is_object()) {
      return param_error(
          api, "additional_request_fields",
          fmt::format("must be a JSON object nested at most {} levels deep", kMaxJsonNesting));
    }
  }
  return {};
}

Result<OJson> merge_request_fields(const ConverseOptions& options, OJson ours,
                                   std::string_view api) {
  if (options.additional_request_fields_json.empty()) return ours;
  OJson merged = parse_fields(options.additional_request_fields_json);
  for (auto& [key, value] : ours.items()) {
    if (merged.contains(key)) {
      return param_error(api, "additional_request_fields",
                         fmt::format("\"{}\" is also set by a parameter (top_k or the reasoning "
                                     "budget); give it one way only",
                                     key));
    }
    merged[key] = std::move(value);
  }
  return merged;
}

void put_options(OJson& body, const ConverseOptions& options, bool stream) {
  if (options.guardrail) {
    const GuardrailConfig& g = *options.guardrail;
    OJson config{{"guardrailIdentifier", g.identifier}, {"guardrailVersion", g.version}};
    if (g.trace != GuardrailTrace::Unset) config["trace"] = trace_name(g.trace);
    if (stream && g.stream_processing_mode != GuardrailStreamMode::Unset) {
      config["streamProcessingMode"] =
          g.stream_processing_mode == GuardrailStreamMode::Sync ? "sync" : "async";
    }
    body["guardrailConfig"] = std::move(config);
  }
  if (!options.prompt_variables.empty()) {
    OJson variables = OJson::object();
    for (const auto& [name, value] : options.prompt_variables) variables[name] = {{"text", value}};
    body["promptVariables"] = std::move(variables);
  }
  if (!options.additional_response_field_paths.empty()) {
    body["additionalModelResponseFieldPaths"] = options.additional_response_field_paths;
  }
  if (!options.request_metadata.empty()) {
    OJson metadata = OJson::object();
    for (const auto& [key, value] : options.request_metadata) metadata[key] = value;
    body["requestMetadata"] = std::move(metadata);
  }
  if (options.latency) {
    body["performanceConfig"] = {
        {"latency", *options.latency == Latency::Optimized ? "optimized" : "standard"}};
  }
  if (options.service_tier) body["serviceTier"] = {{"type", tier_name(*options.service_tier)}};
}

}  // namespace bedrock::models::detail
