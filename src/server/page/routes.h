// The web page: GET / (index.html) and GET /<asset> for each file under assets/, from the
// binary (assets.h). Open routes (no API key): the page itself asks for a key when the API
// answers 401. Every answer carries a strict Content-Security-Policy (no inline script, nothing
// from another origin), nosniff and an ETag; Cache-Control: no-cache, so a new build's page is
// picked up at once while an unchanged one costs a 304. Wired in by service_routes.cpp.
#pragma once

#include "server/router.h"

namespace bedrock::server {
class Service;
}

namespace bedrock::server::page {

void add_routes(Router& router, Service& service);

}  // namespace bedrock::server::page
