#include "default_transport.h"

#include "bedrock/http/curl_transport.h"

namespace bedrock::runtime {

http::CurlTransportOptions curl_options_for(const ClientOptions& options) {
  auto curl =
      http::options_from_environment(options.env != nullptr ? *options.env : system_environment());
  if (!options.ca_bundle.empty()) curl.ca_bundle = options.ca_bundle;
  curl.user_agent = options.user_agent;
  return curl;
}

Result<std::shared_ptr<http::Transport>> make_default_transport(const ClientOptions& options) {
  return std::shared_ptr<http::Transport>(
      std::make_shared<http::CurlTransport>(curl_options_for(options)));
}

}  // namespace bedrock::runtime
