// The Converse request fields beyond the prompt and the sampling parameters
// (docs/wire-protocol.md §8.1): performance and service tier, request metadata, prompt variables,
// extra model fields in both directions, and the guardrail. Every member left at its default is
// not sent. Plain data; checked by encode_converse against the service model's constraints.
#pragma once

#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace bedrock::models {

enum class Latency { Standard, Optimized };                    // performanceConfig.latency
enum class ServiceTier { Priority, Default, Flex, Reserved };  // serviceTier.type

enum class GuardrailTrace { Unset, Enabled, Disabled, EnabledFull };
enum class GuardrailStreamMode { Unset, Sync, Async };  // ConverseStream only

struct GuardrailConfig {
  std::string identifier{};  // [a-z0-9]+ or a guardrail ARN
  std::string version{};     // "DRAFT" or 1-99999999
  GuardrailTrace trace = GuardrailTrace::Unset;
  // streamProcessingMode exists only in ConverseStream's guardrailConfig; a plain Converse call
  // with it set is a Validation error.
  GuardrailStreamMode stream_processing_mode = GuardrailStreamMode::Unset;
};

struct ConverseOptions {
  std::optional<Latency> latency{};
  std::optional<ServiceTier> service_tier{};
  // 1-16 entries; keys 1-256 and values 0-256 characters of [a-zA-Z0-9 whitespace :_@$#=/+,-.].
  // Logged by Bedrock with the invocation, never seen by the model.
  std::vector<std::pair<std::string, std::string>> request_metadata{};
  // Values for the {{variables}} of a Prompt-management prompt (model id = the prompt's ARN);
  // sent as {"name": {"text": value}}.
  std::vector<std::pair<std::string, std::string>> prompt_variables{};
  // A JSON object sent as additionalModelRequestFields, merged with the members the encoder adds
  // itself (top_k, thinking); a member given both ways is a Validation error.
  std::string additional_request_fields_json{};
  // JSON pointers ("/stop_sequence") of native response fields Bedrock returns in
  // Completion::additional_response_fields; at most 10, each 1-256 characters.
  std::vector<std::string> additional_response_field_paths{};
  std::optional<GuardrailConfig> guardrail{};

  bool empty() const {
    return !latency && !service_tier && request_metadata.empty() && prompt_variables.empty() &&
           additional_request_fields_json.empty() && additional_response_field_paths.empty() &&
           !guardrail;
  }
};

}  // namespace bedrock::models
