// Injected faults: which kinds exist, how they are spelled on the command line and in the
// admin API, and how one is picked for a request (by probability, or "fail the next N").
// The "stream:" kinds strike inside a streamed answer after some of its events went out
// (docs/wire-protocol.md §2.4); other calls pass them by.
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
  // Inside a stream, after Fault::after_events events: an exception event, then the end.
  StreamThrottling,          // throttlingException
  StreamModelStreamError,    // modelStreamErrorException
  StreamValidation,          // validationException
  StreamInternalServer,      // internalServerException
  StreamServiceUnavailable,  // serviceUnavailableException
  StreamModelTimeout,        // modelTimeoutException
  StreamDrop,                // the connection closed mid-stream
  StreamStall,               // nothing more for Fault::stall_ms (0: until the client gives up)
};
inline constexpr std::size_t kFaultKindCount = 18;

// One fault as drawn for a request: the kind and, for the stream kinds, where it strikes.
struct Fault {
  FaultKind kind = FaultKind::Throttling;
  int after_events = 1;  // stream kinds: whole events sent before the fault
  int stall_ms = 0;      // StreamStall: length of the pause; 0 = until the client gives up

  friend bool operator==(const Fault& a, const Fault& b) = default;
  friend bool operator==(const Fault& f, FaultKind k) { return f.kind == k; }
};

// "ThrottlingException", ..., "drop", "truncate", "stall", "stream:throttlingException", ...,
// "stream:drop", "stream:stall".
std::string_view to_string(FaultKind kind);
// The kind's name with its stream parameters: "stream:drop@3", "stream:stall@2/1500".
std::string describe(const Fault& fault);
// Accepts to_string() spellings case-insensitively, also without the "Exception" suffix.
std::optional<FaultKind> fault_kind_from_string(std::string_view name);
// A kind with optional stream parameters: "KIND", "stream:KIND@N", "stream:stall@N/MS"
// (N events before the fault, 1 when omitted; MS milliseconds of silence, 0 or omitted:
// until the client gives up). Errors: ConfigurationInvalid (unknown kind, bad numbers,
// parameters on a kind that is not a stream kind).
Result<Fault> parse_fault_spec(std::string_view text);
// True for the kinds answered with an HTTP error response (not connection-level faults).
bool is_error_response(FaultKind kind);
// True for the "stream:" kinds.
bool is_in_stream(FaultKind kind);
// The event-stream exception member of an in-stream exception kind ("throttlingException");
// empty for the other kinds.
std::string_view stream_exception_name(FaultKind kind);

// One --fault argument: "KIND=PROBABILITY" or "KIND=next:N".
struct FaultArg {
  Fault fault;
  double probability = 0;  // used when next_count == 0
  int next_count = 0;      // > 0: fail the next N requests with this kind
};
// Errors: ConfigurationInvalid (unknown kind, probability outside [0,1], N < 1).
Result<FaultArg> parse_fault(std::string_view text);

// Per-kind probabilities (a stream kind keeps the parameters it was last set with); at most
// one fault per request. Sum of probabilities <= 1.
class FaultTable {
 public:
  // Errors: ConfigurationInvalid when p is outside [0,1] or the sum would exceed 1.
  Status set(const Fault& fault, double probability);
  Status set(FaultKind kind, double probability) { return set(Fault{kind}, probability); }
  double get(FaultKind kind) const { return p_[static_cast<std::size_t>(kind)]; }
  const Fault& fault(FaultKind kind) const { return faults_[static_cast<std::size_t>(kind)]; }
  bool empty() const { return total_ <= 0; }
  // `u` is a uniform draw in [0,1): walks the cumulative distribution.
  std::optional<Fault> pick(double u) const;

 private:
  std::array<double, kFaultKindCount> p_{};
  std::array<Fault, kFaultKindCount> faults_{};
  double total_ = 0;
};

}  // namespace bedrock::emulator
