#include "default_async_transport.h"

#include "bedrock/http/async_curl_transport.h"
#include "default_transport.h"

namespace bedrock::runtime {

Result<std::shared_ptr<http::AsyncTransport>> make_default_async_transport(
    boost::asio::io_context& io, const ClientOptions& options) {
  return std::shared_ptr<http::AsyncTransport>(
      http::AsyncCurlTransport::create(io, curl_options_for(options)));
}

}  // namespace bedrock::runtime
