// Ctrl-C handling: the first SIGINT/SIGTERM sets a flag that every in-flight call polls, so
// work stops cleanly and the process exits 130; a second Ctrl-C exits at once.
#pragma once

#include <atomic>

namespace bedrock::cli {

// Installs the handlers (idempotent) and returns the process-wide flag.
const std::atomic<bool>& install_cancellation_handlers();

}  // namespace bedrock::cli
