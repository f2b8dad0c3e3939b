#include "poll_window.h"

#include <algorithm>

namespace bedrock::net::detail {

PollWindow::PollWindow(std::chrono::microseconds limit)
    : limit_(std::max(std::chrono::microseconds(0), limit)) {}

void PollWindow::record(std::chrono::nanoseconds idle) {
  if (idle <= current_) return;
  if (idle <= limit_) {
    current_ = std::min(limit_, std::max(current_ * 2, limit_ / 4));
  } else {
    current_ /= 2;
    if (current_ < std::chrono::microseconds(1)) current_ = std::chrono::nanoseconds(0);
  }
}

}  // namespace bedrock::net::detail
