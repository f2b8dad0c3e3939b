// The content API: POST /api/summarize, /api/rephrase, /api/expand (the tutorial's endpoints
// and fields), /api/blog, /api/product, /api/social. Bodies: api_inputs.h; answers and the
// streamed form: plan_run.h.
#pragma once

#include "server/router.h"

namespace bedrock::server {
class Service;
}

namespace bedrock::server::api {

void add_routes(Router& router, Service& service);

}  // namespace bedrock::server::api
