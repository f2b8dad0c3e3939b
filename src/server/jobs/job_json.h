// What the /v1/jobs routes answer for a job, and the invocation records kept with it.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "bedrock/jobs/job_store.h"
#include "bedrock/runtime/invocation.h"

namespace bedrock::server::jobs {

// {id, kind, status, priority, idempotency_key?, attempts,
//  progress {done, total, tokens, elapsed_ms? (since started_at, by the server's clock)},
//  created_at, started_at?, finished_at?, deadline?, result? | error? {code, message},
//  records? (with_records)}. Times are RFC 3339 UTC with milliseconds.
nlohmann::json job_json(const bedrock::jobs::Job& job, bool with_records = false);

// The records array stored with a job: per call its request id, models, attempts, tokens,
// latency and cost.
std::string records_json(const std::vector<runtime::InvocationRecord>& records);

std::string rfc3339(bedrock::jobs::Clock::time_point t);

}  // namespace bedrock::server::jobs
