// The asynchronous transport an AsyncBedrockClient uses when ClientOptions::async_transport is
// null. Private to the runtime.
#pragma once

#include <boost/asio/io_context.hpp>
#include <memory>

#include "bedrock/core/result.h"
#include "bedrock/http/async_transport.h"
#include "bedrock/runtime/client_options.h"

namespace bedrock::runtime {

// Until the asynchronous curl engine is merged this is ConfigurationInvalid
// "no async transport given"; then it builds that engine on `io` with the same proxy and CA
// settings as make_default_transport().
Result<std::shared_ptr<http::AsyncTransport>> make_default_async_transport(
    boost::asio::io_context& io, const ClientOptions& options);

}  // namespace bedrock::runtime
