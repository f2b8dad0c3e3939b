// What one model call asks for and what it produced, independent of how it was sent.
// The content layer programs against Invoker; BedrockClient is the real implementation.
#pragma once

#include <atomic>
#include <chrono>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "bedrock/core/clock.h"
#include "bedrock/core/result.h"
#include "bedrock/models/converse_options.h"
#include "bedrock/models/stream.h"
#include "bedrock/models/types.h"

namespace bedrock::runtime {

struct InvokeRequest {
  std::string model_id;                // primary model (any form the registry resolves)
  std::vector<std::string> fallbacks;  // tried in order when the primary fails recoverably
  models::Prompt prompt;
  models::InferenceParams params;
  bool use_converse = false;                  // Converse API instead of the native InvokeModel body
  std::optional<models::ModelFamily> family;  // for ARNs whose family cannot be inferred
  // Overall time for every attempt, backoff and fallback; nullopt = client default.
  std::optional<std::chrono::milliseconds> timeout;
  // Longest one attempt may take (for a stream: until its first byte), so a stalled model
  // leaves the fallbacks their turn; nullopt = derived (client_options.h).
  std::optional<std::chrono::milliseconds> attempt_timeout;
  const std::atomic<bool>* cancelled = nullptr;  // set to true to abort in-flight work
  // Optional Bedrock headers (InvokeModel); with Converse they become guardrailConfig and
  // performanceConfig in the body unless `converse` sets those itself.
  std::string guardrail_id;
  std::string guardrail_version;
  std::string trace;  // ENABLED | DISABLED | ENABLED_FULL
  bool latency_optimized = false;
  // The other Converse request fields (service tier, request metadata, prompt variables, extra
  // model fields, guardrail stream mode). Set with use_converse only: a native call with any of
  // them is a Validation error.
  models::ConverseOptions converse{};
};

enum class Outcome { Success, Failure };

struct AttemptRecord {
  std::string model_id;
  std::chrono::microseconds latency{0};
  int http_status = 0;
  std::string error_code;  // empty on success; bedrock::to_string(ErrorCode) otherwise
  std::string request_id;
};

struct SkippedModel {
  std::string model_id;
  std::string reason;  // describe(Error) of the failure that moved us on
};

struct InvocationRecord {
  std::string request_id;       // of the final attempt
  std::string model_requested;  // primary model id
  std::string model_used;       // model that answered (empty on failure)
  // The inference-profile id the client sent in place of the plain id it was given (after
  // Bedrock's on-demand-throughput refusal, or because the registry or an earlier call said so);
  // empty when the id went out as given.
  std::string profile_used;
  int attempts = 0;  // across all models
  int input_tokens = 0;
  int output_tokens = 0;
  bool tokens_reported = false;
  // Prompt-cache input tokens, apart from input_tokens (models::TokenUsage), priced in cost_usd
  // at the model's cached rates.
  int cache_read_input_tokens = 0;
  int cache_write_input_tokens = 0;
  // Of cache_write_input_tokens, those written with the 1-hour TTL (priced at its own rate): as
  // the answer split them, else all of them when the request's last cache point asked for 1h.
  int cache_write_1h_input_tokens = 0;
  // The form of a structured answer (Prompt::output_schema): "native" or "tool"; empty when the
  // request asked for none.
  std::string structured_output;
  std::chrono::microseconds latency{0};  // whole call, including backoff
  std::vector<AttemptRecord> attempt_log;
  std::vector<SkippedModel> skipped;
  double cost_usd = 0;
  Outcome outcome = Outcome::Failure;
  std::string error_code;  // empty on success
  WallTime timestamp{};    // when the call started
  // Streamed calls only: from the start of the call to the first content event, and output
  // tokens per second from that event to the end (0 when usage was not reported).
  bool streamed = false;
  std::optional<std::chrono::microseconds> time_to_first_token;
  double tokens_per_second = 0;
};

struct InvokeResult {
  models::Completion completion;
  InvocationRecord record;
};

// Receives a streamed answer's events in order, as they arrive, on the thread running the call.
// Must not throw.
using StreamCallback = std::function<void(const models::StreamEvent&)>;

// Thread-safe. Errors carry the record of the failed call in the sink (see metrics), the
// returned Error says why.
class Invoker {
 public:
  virtual ~Invoker() = default;
  virtual Result<InvokeResult> invoke(const InvokeRequest& request) = 0;

  // The same call, its answer handed to `on_event` as it arrives; the result is what invoke()
  // would have returned. Retries and fallbacks happen only before the first event reached
  // `on_event`; a failure after it is returned with Error::partial_output holding the text
  // delivered so far. An invoker that cannot stream (this default) answers in one piece: the
  // whole text as one TextDelta, then the stop and the usage.
  virtual Result<InvokeResult> invoke_stream(const InvokeRequest& request,
                                             const StreamCallback& on_event);
};

}  // namespace bedrock::runtime
