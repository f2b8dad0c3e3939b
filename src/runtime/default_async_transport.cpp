#include "default_async_transport.h"

namespace bedrock::runtime {

Result<std::shared_ptr<http::AsyncTransport>> make_default_async_transport(
    boost::asio::io_context& io, const ClientOptions& options) {
  (void)io;
  (void)options;
  return fail(ErrorCode::ConfigurationInvalid,
              "no async transport given: set ClientOptions::async_transport");
}

}  // namespace bedrock::runtime
