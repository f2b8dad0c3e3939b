// What every session of one Server reads: the limits, the counters drain waits on, and the
// budget of body bytes being read by all connections together.
#pragma once

#include <atomic>
#include <cstddef>

#include "bedrock/net/server.h"

namespace bedrock::net::detail {

struct SharedState {
  explicit SharedState(ServerOptions o) : options(std::move(o)) {}

  // The refusal's response from the configured hook; default_refusal when there is none or
  // it throws.
  HttpResponse refusal(Refusal kind) const;

  const ServerOptions options;
  std::atomic<std::size_t> in_flight{0};
  std::atomic<std::size_t> pending_body_bytes{0};  // reserved by sessions reading a body
  std::atomic<bool> draining{false};
};

}  // namespace bedrock::net::detail
