// What every call of a client shares, and the per-call context the call machine
// (call_machine.h) fills in. Private to the runtime.
#pragma once

#include <atomic>
#include <chrono>
#include <memory>
#include <string>

#include "bedrock/core/clock.h"
#include "bedrock/core/random.h"
#include "bedrock/core/result.h"
#include "bedrock/http/transport.h"
#include "bedrock/runtime/adaptive_rate_limiter.h"
#include "bedrock/runtime/client_options.h"
#include "bedrock/runtime/invocation.h"
#include "bedrock/runtime/retry_quota.h"
#include "profile_memory.h"
#include "retry_policy.h"

namespace bedrock::runtime {

// What every call of one client shares. Immutable after construction except the quota and
// the limiter, which are thread-safe.
struct ClientState {
  ClientOptions options;
  std::string endpoint;
  std::shared_ptr<http::Transport> transport;  // sync client (the async one's is per loop)
  const Clock* clock = nullptr;
  std::shared_ptr<Random> random;
  const models::ModelRegistry* registry = nullptr;
  RetryPolicy policy;
  std::string first_attempt_header;  // amz-sdk-request of attempt 1: "attempt=1; max=N"
  RetryQuota quota;
  std::unique_ptr<AdaptiveRateLimiter> limiter;  // adaptive mode only
  ProfileMemory profiles;  // plain id -> the inference profile that answered for it
};

struct CallContext {
  SteadyTime start;
  SteadyTime deadline;
  const std::atomic<bool>* cancelled = nullptr;
  std::string invocation_id;
  InvocationRecord* record = nullptr;  // attempts are appended here
};

// Validates `options` (region, credentials or bearer token, max_attempts, endpoint scheme) and
// fills every field but the transports. Errors: ConfigurationInvalid.
Status init_client_state(ClientState& state, ClientOptions options);

// Asks the provider for credentials, bounded by `deadline`; a provider supplied by the
// application may throw, which must not unwind through the call.
Result<auth::Credentials> credentials_before(ClientState& state, SteadyTime deadline);

// A random (v4) UUID for amz-sdk-invocation-id.
std::string new_invocation_id();

}  // namespace bedrock::runtime
