// JSON renderings of invocation records, used by --json output.
#pragma once

#include <nlohmann/json.hpp>

#include "bedrock/core/error.h"
#include "bedrock/runtime/invocation.h"

namespace bedrock::cli {

nlohmann::json to_json(const runtime::InvocationRecord& record);
nlohmann::json to_json(const models::Completion& completion);
// [{"id","name","input": <the input as JSON>}] in answer order.
nlohmann::json tool_calls_json(const std::vector<models::ToolUse>& calls);
// {"code": "...", "message": user sentence, "detail": technical, "http_status", "request_id"}
nlohmann::json to_json(const Error& error);

}  // namespace bedrock::cli
