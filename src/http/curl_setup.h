// Private to the curl transport: what the classic path (curl's HTTP engine) and the direct path
// (curl connects, we speak HTTP/1.1) share: connection options and request-header checks.
#pragma once

#include <curl/curl.h>

#include <string_view>

#include "bedrock/http/curl_transport.h"

namespace bedrock::http::detail {

// curl_global_init, once per process before the first handle (it is not thread-safe itself).
void global_init_once();

// curl's own timers run at millisecond granularity from its own start and can fire a hair
// early; the driving loop enforces the deadline exactly, so curl's copy, this much later, only
// backs it up.
inline constexpr long long kCurlTimerSlackMs = 20;

// A new easy handle and multi handle: both, or neither (false when curl cannot allocate).
bool new_easy_and_multi(CURL*& easy, CURLM*& multi);

// TCP, TLS-verification, CA-bundle, proxy-environment and protocol options every easy handle
// gets once, whichever path uses it. `error_buffer` (CURL_ERROR_SIZE bytes) receives curl's
// detail on failure and must outlive the handle.
void apply_connection_options(CURL* easy, const CurlTransportOptions& options, char* error_buffer);

// ConfigurationInvalid when a header name is empty or holds ':', or a name or value holds CR,
// LF or NUL (a request-splitting vector); the message names the header, never its value.
Status check_request_headers(const Request& request);

// "scheme://host:port" of a URL, for error messages: never the path or query (a presigned
// query carries a signature).
std::string_view origin_of(std::string_view url);

}  // namespace bedrock::http::detail
