// The Host value SigV4 signs for a URL split by http::split_url. Private to bedrock_auth.
#pragma once

#include <string>

#include "bedrock/http/url.h"

namespace bedrock::auth::detail {

// "host" or "host:port": the host lower-cased, the port only when it is not the scheme's
// default (compared case-insensitively), as botocore signs it.
std::string signed_host(const http::UrlView& url);

}  // namespace bedrock::auth::detail
