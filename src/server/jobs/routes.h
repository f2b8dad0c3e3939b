// Durable jobs over HTTP (docs/jobs-api.md):
//   POST   /v1/jobs       {kind, input, idempotency_key?, priority?, deadline_seconds?}
//                         -> 202 the job (200 with the existing job for a known key)
//   GET    /v1/jobs/{id}  the job: status, progress, result or error, times, attempts, records
//   GET    /v1/jobs?status=&limit=&cursor=   {jobs, next_cursor}, newest first
//   DELETE /v1/jobs/{id}  cancels (a running job's calls too) -> the job
// Errors in the content API's shape ({error, code, request_id}); QueueFull is a 503. Every
// store call runs on the JobRunner's store threads, never on the I/O thread.
#pragma once

#include <functional>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>

#include "server/api/api_state.h"
#include "server/api/async_submit.h"
#include "server/router.h"

namespace bedrock::server {
class Service;
}

namespace bedrock::server::jobs {

// Opens the job store ([server.jobs].url; empty: an in-memory SQLite store) and adds the
// routes; the runner starts with the service. Throws std::runtime_error naming the URL's
// problem (bad URL, unreachable database, schema newer than this build): the service refuses
// to start. Returns how /api/ endpoints submit {"async": true} requests as jobs.
api::AsyncSubmit add_routes(Router& router, Service& service, std::shared_ptr<api::ApiState> api);

}  // namespace bedrock::server::jobs
