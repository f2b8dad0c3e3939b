// Injected faults: which kinds exist, how they are spelled on the command line and in the
// admin API, and how one is picked for a request (by probability, or "fail the next N").
#pragma once

#include <array>
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

#include "bedrock/core/result.h"

namespace bedrock::emulator {

enum class FaultKind {
  Throttling,            // 429 ThrottlingException
  ServiceUnavailable,    // 503 ServiceUnavailableException
  InternalServer,        // 500 InternalServerException
  ModelTimeout,          // 408 ModelTimeoutException
  ModelNotReady,         // 429 ModelNotReadyException
  ModelError,            // 424 ModelErrorException
  ServiceQuotaExceeded,  // 400 ServiceQuotaExceededException
  Drop,                  // connection closed before any response byte
  Truncate,              // headers and part of the body sent, then the connection closed
  Stall,                 // request read, nothing ever answered (until the client gives up)
};
inline constexpr std::size_t kFaultKindCount = 10;

// "ThrottlingException", ..., "drop", "truncate", "stall".
std::string_view to_string(FaultKind kind);
// Accepts to_string() spellings case-insensitively, also without the "Exception" suffix.
std::optional<FaultKind> fault_kind_from_string(std::string_view name);
// True for the kinds answered with an HTTP error response (not connection-level faults).
bool is_error_response(FaultKind kind);

// One --fault argument: "KIND=PROBABILITY" or "KIND=next:N".
struct FaultArg {
  FaultKind kind = FaultKind::Throttling;
  double probability = 0;  // used when next_count == 0
  int next_count = 0;      // > 0: fail the next N requests with this kind
};
// Errors: ConfigurationInvalid (unknown kind, probability outside [0,1], N < 1).
Result<FaultArg> parse_fault(std::string_view text);

// Per-kind probabilities; at most one fault per request. Sum of probabilities <= 1.
class FaultTable {
 public:
  // Errors: ConfigurationInvalid when p is outside [0,1] or the sum would exceed 1.
  Status set(FaultKind kind, double probability);
  double get(FaultKind kind) const { return p_[static_cast<std::size_t>(kind)]; }
  bool empty() const { return total_ <= 0; }
  // `u` is a uniform draw in [0,1): walks the cumulative distribution.
  std::optional<FaultKind> pick(double u) const;

 private:
  std::array<double, kFaultKindCount> p_{};
  double total_ = 0;
};

}  // namespace bedrock::emulator
