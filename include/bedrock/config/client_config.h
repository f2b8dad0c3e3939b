// Client settings resolved exactly as the AWS CLI/SDKs resolve them: explicit value, then
// environment variable, then the selected profile in ~/.aws/config, then the default.
#pragma once

#include <chrono>
#include <optional>
#include <string>

#include "bedrock/config/profile_file.h"
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
  std::optional<bool> use_fips_endpoint;
  std::optional<bool> use_dualstack_endpoint;
};

struct ClientConfig {
  std::string region;               // required; "Missing Region" is a ConfigurationInvalid error
  std::string endpoint_url;         // scheme://host[:port][/base-path], no trailing slash
  bool endpoint_is_custom = false;  // explicit or configured, not derived from the region
  std::string profile;              // selected profile name
  RetryMode retry_mode = RetryMode::Standard;
  int max_attempts = 3;   // total attempts, including the first
  std::string ca_bundle;  // empty = system trust store
  std::chrono::milliseconds connect_timeout{3100};
  // nullopt = derive from the requested output size (see runtime); explicit when set.
  std::optional<std::chrono::milliseconds> read_timeout;
  bool use_fips_endpoint = false;
  bool use_dualstack_endpoint = false;
};

// Order (each first non-empty wins; empty env values and empty profile values count as unset):
//   profile:      explicit, AWS_DEFAULT_PROFILE, AWS_PROFILE, "default". A profile chosen
//                 explicitly or by variable must exist in one of the shared files.
//   region:       explicit, AWS_REGION, AWS_DEFAULT_REGION, profile `region`; must match
//                 botocore's region-name pattern. None at all: "Missing Region" error.
//   FIPS / dual-stack: explicit, AWS_USE_FIPS_ENDPOINT / AWS_USE_DUALSTACK_ENDPOINT, profile
//                 use_fips_endpoint / use_dualstack_endpoint, false ("true"/"false", any case).
//   endpoint:     explicit, AWS_ENDPOINT_URL_BEDROCK_RUNTIME, AWS_ENDPOINT_URL,
//                 profile services section bedrock_runtime.endpoint_url, profile endpoint_url,
//                 https://bedrock-runtime[-fips].{region}.{dnsSuffix|dualStackDnsSuffix}
//                 (env/profile endpoints ignored when AWS_IGNORE_CONFIGURED_ENDPOINT_URLS or
//                 profile ignore_configured_endpoint_urls is true). A custom endpoint combined
//                 with FIPS or dual-stack is an error, as in the endpoint rules. URLs must be
//                 http(s)://host[:port][/path] without user-info, query or fragment.
//   retry mode:   explicit, AWS_RETRY_MODE, profile retry_mode, standard. Exactly "standard",
//                 "adaptive" or "legacy" (botocore is case-sensitive too).
//   max attempts: explicit, AWS_MAX_ATTEMPTS, profile max_attempts; an integer 1..100;
//                 default 3, or 5 in legacy mode (botocore's legacy default, docs/wire-protocol.md
//                 §6.2).
//   CA bundle:    explicit, AWS_CA_BUNDLE, profile ca_bundle; "~/" expands to $HOME; the file
//                 must exist.
//   timeouts:     explicit, profile connect_timeout / read_timeout in seconds (decimals
//                 allowed, > 0 and <= 3600). No environment variable: the SDKs define none.
// Errors: ConfigurationInvalid naming the variable, or the file:line and profile, of an
// unusable value; or the error of a malformed shared file.
Result<ClientConfig> resolve_client_config(const ClientOverrides& overrides,
                                           const Environment& env);

// Same, with shared files the caller already loaded (load_shared_files) so they are read once.
Result<ClientConfig> resolve_client_config(const ClientOverrides& overrides, const Environment& env,
                                           const SharedFiles& files);

std::string_view to_string(RetryMode mode);

// "standard" | "adaptive" | "legacy" (exact); for CLI flags. Errors: ConfigurationInvalid.
Result<RetryMode> parse_retry_mode(std::string_view text);

}  // namespace bedrock::config
