// Process-wide counters of what the HTTP transport does on the wire beyond what its callers
// see. A kept-alive connection that answers nothing at all is re-sent once on a fresh
// connection (as curl does): that is not a failed call, so it is not an attempt in the
// runtime's records, yet the server may have read the first copy. These counters let a caller
// reconcile its attempts with what a server counted (bench/soak does).
//
// Thread-safe; monotonic for the life of the process.
#pragma once

#include <cstdint>

namespace bedrock::http {

struct TransportStats {
  // Requests sent a second time after a reused connection answered nothing.
  std::uint64_t stale_connection_resends = 0;
};

TransportStats transport_stats();

namespace detail {
void count_stale_connection_resend();
}  // namespace detail

}  // namespace bedrock::http
