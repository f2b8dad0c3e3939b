// Client settings resolved exactly as the AWS CLI/SDKs resolve them: explicit value, then
// environment variable, then the selected profile in ~/.aws/config, then the default.
#pragma once

#include <chrono>
#include <optional>
#include <string>

#include "bedrock/core/environment.h"
#include "bedrock/core/result.h"

namespace bedrock::config {

enum class RetryMode { Standard, Adaptive, Legacy };

// Explicit values (code or CLI flags); unset fields fall through to env and profile.
struct ClientOverrides {
  std::optional<std::string> region;
  std::optional<std::string> endpoint_url;
  std::optional<std::string> profile;
  std::optional<RetryMode> retry_mode;
  std::optional<int> max_attempts;
  std::optional<std::string> ca_bundle;
  std::optional<std::chrono::milliseconds> connect_timeout;
  std::optional<std::chrono::milliseconds> read_timeout;
};

struct ClientConfig {
  std::string region;        // required; "Missing Region" is a ConfigurationInvalid error
  std::string endpoint_url;  // scheme://host[:port], no trailing slash
  std::string profile;       // selected profile name
  RetryMode retry_mode = RetryMode::Standard;
  int max_attempts = 3;   // total attempts, including the first
  std::string ca_bundle;  // empty = system trust store
  std::chrono::milliseconds connect_timeout{3100};
  // nullopt = derive from the requested output size (see runtime); explicit when set.
  std::optional<std::chrono::milliseconds> read_timeout;
};

// Order (each first non-empty wins):
//   region:       explicit, AWS_REGION, AWS_DEFAULT_REGION, profile `region`
//   endpoint:     explicit, AWS_ENDPOINT_URL_BEDROCK_RUNTIME, AWS_ENDPOINT_URL,
//                 profile services section bedrock_runtime.endpoint_url, profile endpoint_url,
//                 https://bedrock-runtime.{region}.{dnsSuffix}  (env/profile endpoints ignored
//                 when AWS_IGNORE_CONFIGURED_ENDPOINT_URLS=true)
//   retry mode:   explicit, AWS_RETRY_MODE, profile retry_mode, standard
//   max attempts: explicit, AWS_MAX_ATTEMPTS, profile max_attempts, 3
//   CA bundle:    explicit, AWS_CA_BUNDLE, profile ca_bundle
// Errors: ConfigurationInvalid naming the variable or file line of an unusable value.
Result<ClientConfig> resolve_client_config(const ClientOverrides& overrides,
                                           const Environment& env);

std::string_view to_string(RetryMode mode);

}  // namespace bedrock::config
