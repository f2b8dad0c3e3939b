// The one place where a request handler's failures stop (issue 11): whatever a handler
// throws (a library's type_error, bad_alloc, anything) becomes a response and a log line,
// never an exception through the I/O thread, which would terminate the process. The admin
// port's optional bearer token is checked here too, before its handler sees the request.
#pragma once

#include <functional>
#include <string>
#include <string_view>

#include "service.h"

namespace bedrock::emulator {

using RequestHandler = std::function<Reply(const HttpRequest&)>;

// Data plane: an exception is answered 500 InternalFailure in the AWS JSON error shape
// (x-amzn-ErrorType, x-amzn-RequestId, {"message": ...}).
RequestHandler data_plane_boundary(RequestHandler inner);

// Admin port: an exception is answered 500 {"message": ...}. With a non-empty `token`, a
// request without "Authorization: Bearer <token>" is answered 401 {"message": ...} and never
// reaches `inner`.
RequestHandler admin_boundary(RequestHandler inner, std::string token);

// Whether the request carries "Authorization: Bearer <token>"; compared in time independent
// of where the first difference is (the length of the token can still show).
bool bearer_matches(const HttpRequest& request, std::string_view token);

}  // namespace bedrock::emulator
