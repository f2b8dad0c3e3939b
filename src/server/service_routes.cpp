// Which route groups this build has: each is compiled in when its folder holds routes.h
// (src/server/CMakeLists.txt defines BEDROCK_SERVER_ROUTES_<GROUP>), so a group wires itself in
// without editing a shared list.
#include "server/service.h"

#if defined(BEDROCK_SERVER_ROUTES_API)
#include "server/api/routes.h"
#endif
#if defined(BEDROCK_SERVER_ROUTES_OPENAI)
#include "server/openai/routes.h"
#endif
#if defined(BEDROCK_SERVER_ROUTES_PAGE)
#include "server/page/routes.h"
#endif
#if defined(BEDROCK_SERVER_ROUTES_JOBS)
#include "server/jobs/routes.h"
#endif

namespace bedrock::server {

void add_all_routes(Router& router, Service& service) {
  add_health_routes(router, service);
#if defined(BEDROCK_SERVER_ROUTES_API)
  // The job runner runs the /api/ generators and takes their "async": true requests, so the
  // two groups share one ApiState (model limits, calibration).
  auto api_state = std::make_shared<api::ApiState>(service);
  api::AsyncSubmit submit;
#if defined(BEDROCK_SERVER_ROUTES_JOBS)
  submit = jobs::add_routes(router, service, api_state);
#endif
  api::add_routes(router, service, api_state, std::move(submit));
#endif
#if defined(BEDROCK_SERVER_ROUTES_OPENAI)
  openai::add_routes(router, service);
#endif
#if defined(BEDROCK_SERVER_ROUTES_PAGE)
  page::add_routes(router, service);
#endif
}

}  // namespace bedrock::server
