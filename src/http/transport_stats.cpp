#include "bedrock/http/transport_stats.h"

#include <atomic>

namespace bedrock::http {
namespace {

std::atomic<std::uint64_t> stale_connection_resends{0};

}  // namespace

TransportStats transport_stats() {
  return TransportStats{stale_connection_resends.load(std::memory_order_relaxed)};
}

namespace detail {
void count_stale_connection_resend() {
  stale_connection_resends.fetch_add(1, std::memory_order_relaxed);
}
}  // namespace detail

}  // namespace bedrock::http
