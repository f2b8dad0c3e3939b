#include "bedrock/runtime/client_options.h"

#include <algorithm>

namespace bedrock::runtime {

std::chrono::milliseconds default_read_timeout(int max_output_tokens) {
  const auto derived = kReadTimeoutBase + kReadTimeoutPerToken * std::max(0, max_output_tokens);
  return std::clamp(derived, kReadTimeoutFloor, kReadTimeoutCeiling);
}

std::chrono::milliseconds default_deadline(std::chrono::milliseconds read_timeout) {
  return 2 * read_timeout + kDeadlineSlack;
}

}  // namespace bedrock::runtime
