// Private to the curl transport: turns a failed curl transfer into a typed bedrock::Error.
#pragma once

#include <curl/curl.h>

#include <string_view>

#include "bedrock/core/error.h"
#include "curl_call.h"

namespace bedrock::http::detail {

struct FailedTransfer {
  CURLcode code = CURLE_OK;
  AbortReason abort = AbortReason::None;
  std::string_view curl_detail;  // curl's error buffer (may be empty)
  std::string_view origin;       // "scheme://host:port" of the request (never path or query)
  bool connected = false;        // a connection existed when it failed
  bool deadline_passed = false;  // the caller's deadline had passed when it failed
  long status = 0;               // HTTP status received, 0 when none
  long long body_received = 0;
  long long content_length = -1;  // announced Content-Length, -1 when unknown
  long long max_body = 0;
  long long elapsed_ms = 0;
  long long read_timeout_ms = 0;
  long long first_byte_timeout_ms = 0;
  long long connect_timeout_ms = 0;
};

Error to_error(const FailedTransfer& failed);

}  // namespace bedrock::http::detail
