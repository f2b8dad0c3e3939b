// The asynchronous transport an AsyncBedrockClient uses when ClientOptions::async_transport is
// null. Private to the runtime.
#pragma once

#include <boost/asio/io_context.hpp>
#include <memory>

#include "bedrock/core/result.h"
#include "bedrock/http/async_transport.h"
#include "bedrock/runtime/client_options.h"

namespace bedrock::runtime {

// An AsyncCurlTransport on `io` with the proxy and CA settings make_default_transport() uses.
Result<std::shared_ptr<http::AsyncTransport>> make_default_async_transport(
    boost::asio::io_context& io, const ClientOptions& options);

}  // namespace bedrock::runtime
