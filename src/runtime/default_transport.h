// The transport a client uses when none is injected. Private to the runtime.
#pragma once

#include <memory>

#include "bedrock/core/result.h"
#include "bedrock/http/curl_transport.h"
#include "bedrock/http/transport.h"
#include "bedrock/runtime/client_options.h"

namespace bedrock::runtime {

// Proxies and CA bundle from ClientOptions::env (process environment by default),
// ClientOptions::ca_bundle winning, and the client's User-Agent: what both transports use.
http::CurlTransportOptions curl_options_for(const ClientOptions& options);

// CurlTransport with proxies and CA bundle from ClientOptions::env (process environment by
// default), ClientOptions::ca_bundle winning; timeouts are per call.
Result<std::shared_ptr<http::Transport>> make_default_transport(const ClientOptions& options);

}  // namespace bedrock::runtime
