// The content API: POST /api/summarize, /api/rephrase, /api/expand (the tutorial's endpoints
// and fields), /api/blog, /api/product, /api/social. Bodies: api_inputs.h; answers and the
// streamed form: plan_run.h.
#pragma once

#include <memory>

#include "server/api/api_state.h"
#include "server/api/async_submit.h"
#include "server/router.h"

namespace bedrock::server {
class Service;
}

namespace bedrock::server::api {

void add_routes(Router& router, Service& service);
// With the state shared with the job runner, and how a body with "async": true becomes a job
// (202 with the job instead of the answer); without `submit` such a body is a 400.
void add_routes(Router& router, Service& service, std::shared_ptr<ApiState> api,
                AsyncSubmit submit);

}  // namespace bedrock::server::api
