// How a BedrockClient is set up, and the documented defaults it applies to every call.
//
// Default timeouts (every one can be overridden):
//   connect_timeout  3.1 s   the AWS SDKs' "standard" defaults mode value (connect + TLS).
//   read_timeout     derived per call by default_read_timeout():
//                      clamp(30 s + max_tokens x 60 ms, 60 s, 3600 s)
//                    Why: InvokeModel and Converse send nothing until the whole answer is
//                    generated, so the read timeout is really a generation timeout. botocore's
//                    fixed 60 s is a well-known cause of failed long outputs. 60 ms/token
//                    (~17 tokens/s) is below the slowest large models' sustained output speed
//                    under load, 30 s covers queueing and reading a long prompt, 60 s keeps
//                    botocore's floor, and 3600 s is AWS's own advice for Nova (calls may run
//                    an hour). max_tokens unset = the model's max output (registry), else
//                    models::kDefaultMaxTokens. 4,096 tokens -> 275.8 s; 512 -> 60.7 s.
//   overall deadline default_deadline(): 2 x read_timeout + 30 s per call, covering every
//                    attempt, backoff sleep and fallback model: room for one full-length
//                    retry after a read timeout plus short retries, never unbounded.
// Retries: standard mode, 3 attempts total (retry_policy.h), quota 500 per client.
#pragma once

#include <chrono>
#include <memory>
#include <optional>
#include <string>

#include "bedrock/config/client_config.h"
#include "bedrock/core/clock.h"
#include "bedrock/core/environment.h"
#include "bedrock/core/random.h"
#include "bedrock/core/result.h"
#include "bedrock/credentials/provider.h"
#include "bedrock/http/async_transport.h"
#include "bedrock/http/transport.h"
#include "bedrock/models/registry.h"

namespace bedrock::runtime {

class InvocationSink;

inline constexpr std::chrono::milliseconds kDefaultConnectTimeout{3100};
inline constexpr std::chrono::milliseconds kReadTimeoutFloor{60000};
inline constexpr std::chrono::milliseconds kReadTimeoutBase{30000};
inline constexpr std::chrono::milliseconds kReadTimeoutPerToken{60};
inline constexpr std::chrono::milliseconds kReadTimeoutCeiling{3600000};
inline constexpr std::chrono::milliseconds kDeadlineSlack{30000};

// clamp(base + max_output_tokens x per-token, floor, ceiling); see the header comment.
std::chrono::milliseconds default_read_timeout(int max_output_tokens);
// 2 x read_timeout + 30 s.
std::chrono::milliseconds default_deadline(std::chrono::milliseconds read_timeout);

struct ClientOptions {
  std::string region;        // SigV4 scope; required
  std::string endpoint_url;  // scheme://host[:port]; empty = https://bedrock-runtime.{region}...
  config::RetryMode retry_mode = config::RetryMode::Standard;
  int max_attempts = 3;  // per model, total including the first
  std::chrono::milliseconds connect_timeout = kDefaultConnectTimeout;
  std::optional<std::chrono::milliseconds> read_timeout;  // nullopt = default_read_timeout()
  std::optional<std::chrono::milliseconds> timeout;       // per-call deadline; nullopt = derived
  // Longest one attempt may take (streams: until the first byte). nullopt = derived, only while
  // other models remain in the chain: min(read timeout, time left / models left), so a stalled
  // model leaves the fallbacks their share. An attempt that hits it fails as ModelTimeout (not
  // retried, falls back).
  std::optional<std::chrono::milliseconds> attempt_timeout;

  // Inference profiles (docs/wire-protocol.md §1.2): when Bedrock refuses a plain model id with
  // its on-demand-throughput ValidationException, the call is sent once more with the geography
  // profile for `region` ("us." for us-*, "eu." for eu-*, "apac." for ap-*), then "global."
  // if that profile does not exist; the profile that answers is remembered for the client's life
  // and models the registry lists (models::needs_inference_profile) go to it at once. The record
  // names it (InvocationRecord::profile_used). false: plain ids are sent as given, always.
  bool inference_profiles = true;

  // Authentication: the bearer token wins when set (botocore parity, docs/wire-protocol.md §4: an
  // AWS_BEARER_TOKEN_BEDROCK is preferred even over explicit keys); else SigV4 with
  // `credentials`. One of them is required.
  std::optional<std::string> bearer_token;
  std::shared_ptr<credentials::CredentialsProvider> credentials;

  // Seams. nullptr = the system implementation (CurlTransport, system clock, SystemRandom,
  // the built-in model registry, no sink).
  // The default CurlTransport takes its proxies (http_proxy, https_proxy, no_proxy) and
  // AWS_CA_BUNDLE from `env` (nullptr = the process environment); `ca_bundle` wins when set.
  std::shared_ptr<http::Transport> transport;
  // The asynchronous client's transport (async_client.h), on the io_context the client is
  // created with. Required for AsyncBedrockClient until the default engine is wired.
  std::shared_ptr<http::AsyncTransport> async_transport;
  const Environment* env = nullptr;
  std::string ca_bundle;
  const Clock* clock = nullptr;
  std::shared_ptr<Random> random;
  std::shared_ptr<InvocationSink> sink;
  const models::ModelRegistry* registry = nullptr;

  std::string user_agent = "bedrock-content/0.1";
};

// Options resolved as the AWS SDKs resolve them: resolve_client_config (explicit, env,
// profile) for region/endpoint/retries/timeouts/CA bundle; AWS_BEARER_TOKEN_BEDROCK for a
// bearer token (preferred, unless AWS_AUTH_SCHEME_PREFERENCE names sigv4 before
// httpBearerAuth); the default credential chain (lazy: nothing is read until a SigV4 call);
// a CurlTransport with proxies from `env`. `env` must outlive the client.
// Errors: those of resolve_client_config (ConfigurationInvalid, e.g. "Missing Region").
Result<ClientOptions> options_from_environment(const config::ClientOverrides& overrides,
                                               const Environment& env);

}  // namespace bedrock::runtime
