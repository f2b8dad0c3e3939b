// The retry loop of one model operation: authorise, send, classify, decide, back off —
// within the call's deadline. Private to the runtime; BedrockClient drives it per model.
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
#include "request_builder.h"
#include "retry_policy.h"

namespace bedrock::runtime {

// What every call of one client shares. Immutable after construction except the quota and
// the limiter, which are thread-safe.
struct ClientState {
  ClientOptions options;
  std::string endpoint;
  std::shared_ptr<http::Transport> transport;
  const Clock* clock = nullptr;
  std::shared_ptr<Random> random;
  const models::ModelRegistry* registry = nullptr;
  RetryPolicy policy;
  std::string first_attempt_header;  // amz-sdk-request of attempt 1: "attempt=1; max=N"
  RetryQuota quota;
  std::unique_ptr<AdaptiveRateLimiter> limiter;  // adaptive mode only
};

struct CallContext {
  SteadyTime start;
  SteadyTime deadline;
  const std::atomic<bool>* cancelled = nullptr;
  std::string invocation_id;
  InvocationRecord* record = nullptr;  // attempts are appended here
};

// Borrows the model id from the caller, who outlives the call; owns the body, which moves
// into the request.
struct Operation {
  std::string_view model_id;   // as sent on the wire
  std::string_view operation;  // "invoke" | "converse"
  std::string body;
  BedrockHeaders headers;
  std::chrono::milliseconds read_timeout{60000};
};

// Sends `op` with retries. Returns the 2xx response, or the final Error: the classified
// service/transport error (message notes why retrying stopped), DeadlineExceeded (naming the
// last error), Cancelled, or a credentials error.
Result<http::Response> send_with_retries(ClientState& state, Operation op, CallContext& call);

// A random (v4) UUID for amz-sdk-invocation-id.
std::string new_invocation_id();

}  // namespace bedrock::runtime
