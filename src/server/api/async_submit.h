// How an /api/ endpoint hands a request with "async": true to the job runner: the route group
// that runs jobs (jobs/) provides it; without it such a request is a 400.
#pragma once

#include <functional>
#include <nlohmann/json.hpp>
#include <string>

#include "server/router.h"

namespace bedrock::server::api {

// Validates `input` as the job kind's input and answers the request: 202 with the job, or the
// error (400 naming the field, 503 QueueFull).
using AsyncSubmit =
    std::function<void(const ScopePtr& scope, const std::string& kind, nlohmann::json input)>;

}  // namespace bedrock::server::api
