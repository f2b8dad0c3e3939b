#include "cancellation.h"

#include <unistd.h>

#include <csignal>

namespace bedrock::cli {
namespace {

std::atomic<bool> g_cancelled{false};
static_assert(std::atomic<bool>::is_always_lock_free, "the flag is written from a signal handler");

extern "C" void on_signal(int) {
  if (g_cancelled.exchange(true)) {
    // Second Ctrl-C: the user does not want to wait for a clean stop.
    _exit(130);
  }
  static const char kMessage[] = "\ncancelling... (press Ctrl-C again to quit at once)\n";
  auto ignored = write(STDERR_FILENO, kMessage, sizeof kMessage - 1);
  (void)ignored;
}

}  // namespace

const std::atomic<bool>& install_cancellation_handlers() {
  static const bool installed = [] {
    struct sigaction action {};
    action.sa_handler = on_signal;
    sigemptyset(&action.sa_mask);
    sigaction(SIGINT, &action, nullptr);
    sigaction(SIGTERM, &action, nullptr);
    return true;
  }();
  (void)installed;
  return g_cancelled;
}

}  // namespace bedrock::cli
