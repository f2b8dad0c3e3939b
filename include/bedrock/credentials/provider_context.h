// What every credential source needs from its surroundings: environment, clock and HTTP.
#pragma once

#include <memory>
#include <string>

#include "bedrock/core/clock.h"
#include "bedrock/core/environment.h"
#include "bedrock/http/transport.h"

namespace bedrock::credentials {

// The pointed-to Environment and Clock must outlive every provider built with the context.
struct ProviderContext {
  const Environment* env = &system_environment();
  const Clock* clock = &system_clock();
  std::shared_ptr<http::Transport> transport;  // required by STS, container and IMDS sources
  std::string region;                          // STS region; empty: us-east-1
};

}  // namespace bedrock::credentials
