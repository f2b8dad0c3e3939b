// The default role session name, shared by AssumeRole and web identity. Private.
#pragma once

#include <fmt/format.h>

#include <chrono>
#include <string>

#include "bedrock/core/clock.h"

namespace bedrock::credentials::cred_detail {

// botocore uses "botocore-session-<unix time>"; ours names this tool in CloudTrail.
inline std::string default_session_name(const Clock& clock) {
  auto seconds =
      std::chrono::duration_cast<std::chrono::seconds>(clock.wall().time_since_epoch()).count();
  return fmt::format("bedrock-content-{}", seconds);
}

}  // namespace bedrock::credentials::cred_detail
