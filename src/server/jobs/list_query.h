// The query string of GET /v1/jobs (?status=&limit=&cursor=): outside bytes, read into the
// store's ListQuery or refused with a 400 that names the parameter. Fuzzed by
// fuzz/jobs_list_query.cpp.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "bedrock/jobs/job.h"
#include "server/json_body.h"

namespace bedrock::server::jobs {

// The value of `name` in `target`'s query string, '+' and %XX decoded; "" when absent (the first
// occurrence wins). nullopt: a '%' not followed by two hex digits.
std::optional<std::string> query_value(std::string_view target, std::string_view name);

// status (a state name), limit (1..1000) and cursor (passed to the store, which checks it).
HttpResult<bedrock::jobs::ListQuery> read_list_query(std::string_view target);

}  // namespace bedrock::server::jobs
