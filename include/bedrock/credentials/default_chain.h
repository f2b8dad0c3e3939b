// The credential provider chain in the AWS SDKs' order, and Bedrock API key (bearer) lookup.
#pragma once

#include <memory>
#include <optional>
#include <string>

#include "bedrock/core/clock.h"
#include "bedrock/core/environment.h"
#include "bedrock/credentials/provider.h"
#include "bedrock/http/transport.h"

namespace bedrock::credentials {

struct ChainOptions {
  std::optional<Credentials> explicit_credentials;  // from code or CLI flags
  std::optional<std::string> profile;               // --profile; drops the env provider
  std::string region;                               // for STS calls
  const Environment* env = nullptr;                 // defaults to the process environment
  const Clock* clock = nullptr;                     // defaults to the system clock
  std::shared_ptr<http::Transport> transport;       // STS, container, IMDS; null: CurlTransport
};

// explicit -> environment -> profile role_arn (AssumeRole) -> web identity -> shared files
// (incl. credential_process) -> container endpoint -> EC2 IMDSv2. Results are cached and
// refreshed ahead of expiry. Thread-safe. When nothing yields credentials, get() fails with
// CredentialsNotFound listing every source tried.
std::shared_ptr<CredentialsProvider> make_default_chain(ChainOptions options);

// AWS_BEARER_TOKEN_BEDROCK, when set and non-empty.
std::optional<std::string> bearer_token_from_env(const Environment& env);

}  // namespace bedrock::credentials
