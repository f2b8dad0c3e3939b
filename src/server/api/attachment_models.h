// A request with attachments is refused up front (before a job is queued or a stream opened)
// when no model it could go to reads them: the body's "model" or the task's configured one, then
// the task's fallbacks, as content::prepare_task picks them. The library's own refusal is a
// Validation error, which the service shows only as "rejected as invalid"; this one names the
// model and the field.
#pragma once

#include <string>

#include "bedrock/content/attachments.h"
#include "bedrock/content/content_config.h"
#include "server/json_body.h"

namespace bedrock::server {
class Service;
}

namespace bedrock::server::api {

// Nothing to check without attachments. `model`: the body's "model" resolved (empty: the
// configured one). The 400 names "attachments".
HttpResult<bool> check_attachment_models(const Service& service, content::Task task,
                                         const content::Attachments& attachments,
                                         const std::string& model);

}  // namespace bedrock::server::api
