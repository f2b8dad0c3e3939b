// What one model call asks for and what it produced, independent of how it was sent.
// The content layer programs against Invoker; BedrockClient is the real implementation.
#pragma once

#include <atomic>
#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "bedrock/core/clock.h"
#include "bedrock/core/result.h"
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
  const std::atomic<bool>* cancelled = nullptr;  // set to true to abort in-flight work
  // Optional Bedrock headers.
  std::string guardrail_id;
  std::string guardrail_version;
  std::string trace;  // ENABLED | DISABLED | ENABLED_FULL
  bool latency_optimized = false;
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
  int attempts = 0;             // across all models
  int input_tokens = 0;
  int output_tokens = 0;
  bool tokens_reported = false;
  std::chrono::microseconds latency{0};  // whole call, including backoff
  std::vector<AttemptRecord> attempt_log;
  std::vector<SkippedModel> skipped;
  double cost_usd = 0;
  Outcome outcome = Outcome::Failure;
  std::string error_code;  // empty on success
  WallTime timestamp{};    // when the call started
};

struct InvokeResult {
  models::Completion completion;
  InvocationRecord record;
};

// Thread-safe. Errors carry the record of the failed call in the sink (see metrics), the
// returned Error says why.
class Invoker {
 public:
  virtual ~Invoker() = default;
  virtual Result<InvokeResult> invoke(const InvokeRequest& request) = 0;
};

}  // namespace bedrock::runtime
