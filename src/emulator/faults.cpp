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
constexpr std::array<std::string_view, kFaultKindCount> kNames = {"ThrottlingException",
                                                                  "ServiceUnavailableException",
                                                                  "InternalServerException",
                                                                  "ModelTimeoutException",
                                                                  "ModelNotReadyException",
                                                                  "ModelErrorException",
                                                                  "ServiceQuotaExceededException",
                                                                  "drop",
                                                                  "truncate",
                                                                  "stall"};

}  // namespace

std::string_view to_string(FaultKind kind) { return kNames[static_cast<std::size_t>(kind)]; }

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
  auto kind = fault_kind_from_string(text.substr(0, eq));
  if (!kind) {
    return fail(ErrorCode::ConfigurationInvalid,
                fmt::format("--fault '{}': unknown kind '{}'", text, text.substr(0, eq)));
  }
  arg.kind = *kind;
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

Status FaultTable::set(FaultKind kind, double probability) {
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
  total_ = total;
  return {};
}

std::optional<FaultKind> FaultTable::pick(double u) const {
  if (total_ <= 0) return std::nullopt;
  double cumulative = 0;
  for (std::size_t i = 0; i < p_.size(); ++i) {
    if (p_[i] <= 0) continue;
    cumulative += p_[i];
    // p = 1.0 must always fire even though u can be arbitrarily close to 1.
    if (u < cumulative || (p_[i] >= 1.0)) return static_cast<FaultKind>(i);
  }
  return std::nullopt;
}

}  // namespace bedrock::emulator
