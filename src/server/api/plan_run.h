// Runs one /api/ request: its GenerationPlan's calls one after another through the service's
// AsyncBedrockClient (content::prepare_task, start_task, finish_task: no thread waits for the
// model; the first call starts on the I/O thread, each next one in the previous one's Done
// handler on the upstream loop), then answers with JSON or, for "stream": true, server-sent
// events:
//   event: call      {"platform", "step"}        social: before each draft or rewrite
//   event: delta     {"text"}                     the answer's text as it arrives
//   event: progress  {"phase", "level", "done", "total", "tokens", "elapsed_ms"}  map-reduce
//   event: done      the JSON answer (the same fields as without "stream")
//   event: error     {"error", "code", "request_id", "status"}   instead of done; never a cut
// A summary whose text does not fit the model (chunking "auto"), or with chunking "always",
// runs map-reduce on the MapReducePool (see map_reduce_pool.h); a full pool is a 503.
//
// Every upstream call is recorded on the scope (record / record_failure). The request's deadline
// and a streaming client's disconnect cancel the call in flight (CallHandle::cancel) and the
// map-reduce job (its cancel flag).
#pragma once

#include <memory>
#include <optional>

#include "bedrock/content/generators.h"
#include "server/api/api_inputs.h"
#include "server/api/api_state.h"
#include "server/api/generation_plan.h"
#include "server/request_scope.h"
#include "server/router.h"

namespace bedrock::server::api {

struct RunOptions {
  bool stream = false;
  // Summarize only: the input to run as map-reduce when a call is refused as too long before it
  // is sent (chunking "auto"); with map_reduce_now, instead of the plan.
  std::optional<content::SummarizeInput> map_reduce;
  bool map_reduce_now = false;
  // The body's "model", resolved (Service::resolve_model) and allowed: every task's model for
  // this request. Empty: the configured models.
  std::string model;
};

// On the request's I/O thread (the route handler). `plan` may be null only with map_reduce_now.
void run_plan(const ScopePtr& scope, const std::shared_ptr<ApiState>& api,
              std::unique_ptr<GenerationPlan> plan, RunOptions options);

// The body's "model" resolved as every call of the request names it (empty: the configured
// models), or the 404 naming the field for a model this service does not offer.
HttpResult<std::string> requested_model(const Service& service, const Common& common);

}  // namespace bedrock::server::api
