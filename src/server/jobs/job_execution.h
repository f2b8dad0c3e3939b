// One claimed job run to its answer: the GenerationPlan's calls one after another through the
// service's AsyncBedrockClient (no thread waits for the model), or a map-reduce summary on the
// runner's map-reduce pool (content::summarize over a BlockingAsyncInvoker, as /api/summarize),
// or one raw invoke. The answer is the JSON the /api/ endpoint answers (its fields plus latency,
// model, usage, cost_usd, calls, request_id = the job id). cancel() (lease lost, job cancelled,
// server stopping) cancels the call in flight; the deadline ends the run DeadlineExceeded.
// This mirrors api/plan_run.cpp without a request scope: a job has no connection to answer.
#pragma once

#include <atomic>
#include <chrono>
#include <functional>
#include <memory>
#include <mutex>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "bedrock/content/content_config.h"
#include "bedrock/runtime/async_client.h"
#include "server/api/api_state.h"
#include "server/jobs/job_inputs.h"

namespace bedrock::server::jobs {

struct JobOutcome {
  Result<nlohmann::json> answer;
  std::vector<runtime::InvocationRecord> records;  // every successful call
  int failed_calls = 0;
};

// A map-reduce summary's calls counted across its steps (the map step's chunks, then each reduce
// level's combines, so `done` only grows), and the tokens of every call so far.
struct JobProgress {
  std::int64_t done = 0, total = 0, tokens = 0;
};

struct ExecutionCallbacks {
  std::function<void(const JobProgress&)> progress;  // map-reduce only
  std::function<void(JobOutcome)> done;  // exactly once (unless the upstream loop is stopped)
};

class JobExecution : public std::enable_shared_from_this<JobExecution> {
 public:
  using SteadyClock = std::chrono::steady_clock;

  JobExecution(std::shared_ptr<api::ApiState> api, api::MapReducePool& pool, std::string job_id,
               PreparedJob job, SteadyClock::time_point deadline, ExecutionCallbacks callbacks);

  void start();   // any thread but the upstream loop's
  void cancel();  // any thread; idempotent

 private:
  std::chrono::milliseconds time_left() const;
  void step();
  void on_done(Result<content::CallOutput> out);
  void start_map_reduce();
  void run_map_reduce();
  void start_invoke();
  void succeed(nlohmann::json answer);
  void fail_with(Error error);
  void finish(JobOutcome outcome);

  std::shared_ptr<api::ApiState> api_;
  api::MapReducePool& pool_;
  const std::string job_id_;
  PreparedJob job_;
  const SteadyClock::time_point started_ = SteadyClock::now();
  const SteadyClock::time_point deadline_;
  ExecutionCallbacks callbacks_;
  std::optional<content::ContentConfig> config_;  // the service's, with the job's model
  content::GenerationContext ctx_;
  std::atomic<bool> cancelled_{false};
  std::atomic<bool> finished_{false};
  std::vector<runtime::InvocationRecord> records_;  // touched by one step at a time
  int failed_calls_ = 0;
  std::mutex mu_;  // handle_
  runtime::CallHandle handle_;
};

}  // namespace bedrock::server::jobs
