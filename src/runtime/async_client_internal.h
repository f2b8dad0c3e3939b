// AsyncBedrockClient construction with its waiting seam exposed, for tests on a FakeClock.
// Private to the runtime (and its tests).
#pragma once

#include <boost/asio/io_context.hpp>
#include <memory>

#include "async_waiter.h"
#include "bedrock/runtime/async_client.h"

namespace bedrock::runtime {

// AsyncBedrockClient::create with `waiter` (nullptr = steady timers on `io`).
Result<std::unique_ptr<AsyncBedrockClient>> make_async_client(boost::asio::io_context& io,
                                                              ClientOptions options,
                                                              std::shared_ptr<AsyncWaiter> waiter);

}  // namespace bedrock::runtime
