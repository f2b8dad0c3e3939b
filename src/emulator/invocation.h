// One model call as the emulator sees it: which operation and model the path names, the
// parsed body, the chosen answer (a fixture or the family's deterministic default) and the
// rendered response body. Family knowledge stays in emulator/model/.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

#include "bedrock/core/clock.h"
#include "bedrock/core/result.h"
#include "behavior.h"
#include "emulator/model/answer.h"
#include "fixtures.h"
#include "prompt_cache_store.h"
#include "service.h"

namespace bedrock::emulator {

enum class Operation { Invoke, Converse, InvokeStream, ConverseStream, CountTokens, Unknown };

struct Usage {
  int input_tokens = 0;
  int output_tokens = 0;
};

class Invocation {
 public:
  // Routes on the raw target: POST /model/{modelId}/{operation}; the model id is
  // percent-decoded (ARNs arrive with %3A and %2F, some clients send ':' and '/' literally).
  Invocation(const HttpRequest& request, const Clock& clock);

  bool routed() const { return operation_ != Operation::Unknown; }
  bool model_id_invalid() const { return model_id_invalid_; }
  Operation operation() const { return operation_; }
  std::string_view operation_name() const;
  const std::string& model_id() const { return model_id_; }

  // Parses and answers. Errors: Validation (body), or a fixture's scripted error (aws_type set).
  Result<Usage> run(const models::ModelInfo& model, const Fixtures& fixtures, Behavior& behavior);
  // Converse cache points or Claude cache_control blocks: what the prompt cache reads and writes
  // for this request at `now`, reported in the rendered usage. Call once, after run() succeeded
  // and only for a request that will be answered; a request without cache points never touches
  // the store.
  void account_prompt_cache(PromptCacheStore& store, SteadyTime now);
  // What account_prompt_cache() found; `present` false without cache points.
  const model::CacheUsage& cache_usage() const { return cache_usage_; }
  // The success body; valid after run() succeeded.
  std::string render(int latency_ms) const;

 private:
  Result<Usage> count_tokens(const models::ModelInfo& model);

  // What a request body comes to, shared with the per-thread answer cache (immutable once
  // built, so a cache hit costs a reference count, not a copy).
  struct Answered {
    model::EmulatedRequest parsed;
    model::EmulatedAnswer answer;
    std::string native_body;  // InvokeModel's rendered body (latency-independent)
  };

  using AnswerCache = std::unordered_map<std::string, std::shared_ptr<const Answered>>;
  // Per thread, so no lock.
  static AnswerCache& answer_cache();

  const HttpRequest& request_;
  Operation operation_ = Operation::Unknown;
  std::string model_id_;
  bool model_id_invalid_ = false;
  const models::ModelInfo* model_ = nullptr;
  std::shared_ptr<const Answered> answered_;
  int counted_tokens_ = 0;
  model::CacheUsage cache_usage_;
};

}  // namespace bedrock::emulator
