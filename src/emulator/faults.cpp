#include "faults.h"

#include <fmt/format.h>
#include <strings.h>

#include <charconv>
#include <cmath>

#include "bedrock/core/ascii.h"
#include "bedrock/models/service_errors.h"

namespace bedrock::emulator {
namespace {

// An error kind's spelling is its exception's name in the shared exception table
// (models/service_errors.h), so a fault answers with that row's status and message; a unit
// test checks every name is there. (A constexpr lookup would check it at build time, but GCC
// cannot evaluate it under the sanitizer instrumentation of the asan build.)
constexpr std::array<std::string_view, kFaultKindCount> kNames = {
    "ThrottlingException",
    "ServiceUnavailableException",
    "InternalServerException",
    "ModelTimeoutException",
    "ModelNotReadyException",
    "ModelErrorException",
    "ServiceQuotaExceededException",
    "drop",
    "truncate",
    "stall",
    "stream:throttlingException",
    "stream:modelStreamErrorException",
    "stream:validationException",
    "stream:internalServerException",
    "stream:serviceUnavailableException",
    "stream:modelTimeoutException",
    "stream:drop",
    "stream:stall"};

constexpr std::string_view kStreamPrefix = "stream:";

// Stream parameters are small: a stream has at most a few thousand events, and a pause longer
// than a day is a mistake.
constexpr int kMaxAfterEvents = 1'000'000;
constexpr int kMaxStallMs = 86'400'000;

bool parse_int(std::string_view text, int max, int& out) {
  int v = -1;
  auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (ec != std::errc{} || ptr != text.data() + text.size() || text.empty() || v < 0 || v > max) {
    return false;
  }
  out = v;
  return true;
}

}  // namespace

std::string_view to_string(FaultKind kind) { return kNames[static_cast<std::size_t>(kind)]; }

std::string describe(const Fault& fault) {
  if (!is_in_stream(fault.kind)) return std::string(to_string(fault.kind));
  std::string out = fmt::format("{}@{}", to_string(fault.kind), fault.after_events);
  if (fault.kind == FaultKind::StreamStall && fault.stall_ms > 0) {
    out += fmt::format("/{}", fault.stall_ms);
  }
  return out;
}

bool is_in_stream(FaultKind kind) { return to_string(kind).substr(0, 7) == kStreamPrefix; }

std::string_view stream_exception_name(FaultKind kind) {
  if (!is_in_stream(kind) || kind == FaultKind::StreamDrop || kind == FaultKind::StreamStall) {
    return {};
  }
  return to_string(kind).substr(kStreamPrefix.size());
}

Result<Fault> parse_fault_spec(std::string_view text) {
  const auto at = text.find('@');
  auto kind = fault_kind_from_string(text.substr(0, at));
  if (!kind) {
    return fail(ErrorCode::ConfigurationInvalid,
                fmt::format("unknown fault kind '{}'", text.substr(0, at)));
  }
  Fault fault{*kind};
  if (at == std::string_view::npos) return fault;
  if (!is_in_stream(*kind)) {
    return fail(ErrorCode::ConfigurationInvalid,
                fmt::format("fault '{}': only stream: kinds take @N", text));
  }
  std::string_view params = text.substr(at + 1);
  const auto slash = params.find('/');
  if (!parse_int(params.substr(0, slash), kMaxAfterEvents, fault.after_events)) {
    return fail(ErrorCode::ConfigurationInvalid,
                fmt::format("fault '{}': @N needs N from 0 to {}", text, kMaxAfterEvents));
  }
  if (slash != std::string_view::npos) {
    if (*kind != FaultKind::StreamStall ||
        !parse_int(params.substr(slash + 1), kMaxStallMs, fault.stall_ms)) {
      return fail(
          ErrorCode::ConfigurationInvalid,
          fmt::format("fault '{}': only stream:stall@N/MS takes /MS (0 to {})", text, kMaxStallMs));
    }
  }
  return fault;
}

std::optional<FaultKind> fault_kind_from_string(std::string_view name) {
  constexpr std::string_view kSuffix = "Exception";
  for (std::size_t i = 0; i < kNames.size(); ++i) {
    std::string_view full = kNames[i];
    std::string_view stem = full;
    if (stem.size() > kSuffix.size() && stem.substr(stem.size() - kSuffix.size()) == kSuffix) {
      stem.remove_suffix(kSuffix.size());
    }
    if (iequals_ascii(name, full) || iequals_ascii(name, stem)) return static_cast<FaultKind>(i);
  }
  return std::nullopt;
}

bool is_error_response(FaultKind kind) {
  return models::find_service_exception(to_string(kind)) != nullptr;
}

Result<FaultArg> parse_fault(std::string_view text) {
  const auto eq = text.find('=');
  if (eq == std::string_view::npos) {
    return fail(ErrorCode::ConfigurationInvalid,
                fmt::format("--fault '{}': expected KIND=PROBABILITY or KIND=next:N", text));
  }
  FaultArg arg;
  auto fault = parse_fault_spec(text.substr(0, eq));
  if (!fault) {
    return fail(ErrorCode::ConfigurationInvalid,
                fmt::format("--fault '{}': {}", text, fault.error().message));
  }
  arg.fault = *fault;
  std::string_view value = text.substr(eq + 1);
  constexpr std::string_view kNext = "next:";
  if (value.substr(0, kNext.size()) == kNext) {
    value.remove_prefix(kNext.size());
    int n = 0;
    auto [ptr, ec] = std::from_chars(value.data(), value.data() + value.size(), n);
    if (ec != std::errc{} || ptr != value.data() + value.size() || n < 1) {
      return fail(ErrorCode::ConfigurationInvalid,
                  fmt::format("--fault '{}': next:N needs N >= 1", text));
    }
    arg.next_count = n;
    return arg;
  }
  double p = -1;
  auto [ptr, ec] = std::from_chars(value.data(), value.data() + value.size(), p);
  if (ec != std::errc{} || ptr != value.data() + value.size() || !(p >= 0 && p <= 1)) {
    return fail(ErrorCode::ConfigurationInvalid,
                fmt::format("--fault '{}': probability must be in [0, 1]", text));
  }
  arg.probability = p;
  return arg;
}

Status FaultTable::set(const Fault& fault, double probability) {
  const FaultKind kind = fault.kind;
  if (!(probability >= 0 && probability <= 1)) {
    return fail(
        ErrorCode::ConfigurationInvalid,
        fmt::format("fault {}: probability {} outside [0, 1]", to_string(kind), probability));
  }
  const double total = total_ - get(kind) + probability;
  if (total > 1.0 + 1e-9) {
    return fail(ErrorCode::ConfigurationInvalid,
                fmt::format("fault probabilities add up to {} (> 1)", total));
  }
  p_[static_cast<std::size_t>(kind)] = probability;
  faults_[static_cast<std::size_t>(kind)] = fault;
  total_ = total;
  return {};
}

std::optional<Fault> FaultTable::pick(double u) const {
  if (total_ <= 0) return std::nullopt;
  double cumulative = 0;
  for (std::size_t i = 0; i < p_.size(); ++i) {
    if (p_[i] <= 0) continue;
    cumulative += p_[i];
    // p = 1.0 must always fire even though u can be arbitrarily close to 1.
    if (u < cumulative || (p_[i] >= 1.0)) return faults_[i];
  }
  return std::nullopt;
}

}  // namespace bedrock::emulator
