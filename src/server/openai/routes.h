// The OpenAI-compatible route group: POST /v1/chat/completions and GET
// /v1/models, in OpenAI's error style. Wired in by service_routes.cpp (this
// header's presence turns it on).
#pragma once

#include "server/router.h"

namespace bedrock::server {
class Service;
}

namespace bedrock::server::openai {

void add_routes(Router& router, Service& service);

}  // namespace bedrock::server::openai
