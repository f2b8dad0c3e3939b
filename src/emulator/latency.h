// Simulated service latency: a time to first byte drawn from a fixed, uniform or log-normal
// distribution, plus a per-output-token generation rate.
#pragma once

#include <string>
#include <string_view>

#include "bedrock/core/clock.h"
#include "bedrock/core/random.h"
#include "bedrock/core/result.h"

namespace bedrock::emulator {

struct LatencySpec {
  enum class Kind { None, Fixed, Uniform, LogNormal };
  Kind kind = Kind::None;
  double a_ms = 0;  // Fixed: the value; Uniform: low bound; LogNormal: median
  double b_ms = 0;  // Uniform: high bound; LogNormal: 99th percentile
  double per_output_token_ms = 0;

  bool is_zero() const { return kind == Kind::None && per_output_token_ms <= 0; }

  // Time to first byte in milliseconds (>= 0). Uses one or two draws from `random`.
  double sample_first_byte_ms(Random& random) const;

  // First byte plus output_tokens * per_output_token_ms.
  Duration sample_total(Random& random, int output_tokens) const;
};

// Parses "250" (fixed), "100-400" (uniform), "200:900" (log-normal median:p99). Errors:
// ConfigurationInvalid for anything else, negative values, or p99 < median / high < low.
Result<LatencySpec> parse_latency(std::string_view text);

// The spelling parse_latency() accepts, plus "+Nms/token" when a per-token rate is set.
std::string describe(const LatencySpec& spec);

}  // namespace bedrock::emulator
