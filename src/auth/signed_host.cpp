#include "signed_host.h"

#include "bedrock/core/ascii.h"

namespace bedrock::auth::detail {

std::string signed_host(const http::UrlView& url) {
  const bool default_port = url.port.empty() ||
                            (iequals_ascii(url.scheme, "https") && url.port == "443") ||
                            (iequals_ascii(url.scheme, "http") && url.port == "80");
  std::string out = to_lower_ascii(url.host);
  if (!default_port) out.append(":").append(url.port);
  return out;
}

}  // namespace bedrock::auth::detail
