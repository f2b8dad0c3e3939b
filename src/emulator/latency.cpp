#include "latency.h"

#include <fmt/format.h>

#include <charconv>
#include <cmath>

namespace bedrock::emulator {
namespace {

// z-score of the 99th percentile of the standard normal distribution.
constexpr double kZ99 = 2.3263478740408408;
constexpr double kPi = 3.14159265358979323846;

Result<double> parse_ms(std::string_view text, std::string_view whole) {
  double value = 0;
  auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc{} || ptr != text.data() + text.size() || text.empty() || value < 0 ||
      !std::isfinite(value)) {
    return fail(
        ErrorCode::ConfigurationInvalid,
        fmt::format("latency '{}': expected N, LOW-HIGH or MEDIAN:P99 in milliseconds", whole));
  }
  return value;
}

}  // namespace

double LatencySpec::sample_first_byte_ms(Random& random) const {
  switch (kind) {
    case Kind::None:
      return 0;
    case Kind::Fixed:
      return a_ms;
    case Kind::Uniform:
      return a_ms + (b_ms - a_ms) * random.uniform01();
    case Kind::LogNormal: {
      if (a_ms <= 0) return 0;
      // Box-Muller from two uniforms; 1 - u keeps the log argument in (0, 1].
      const double u1 = 1.0 - random.uniform01();
      const double u2 = random.uniform01();
      const double z = std::sqrt(-2.0 * std::log(u1)) * std::cos(2.0 * kPi * u2);
      const double mu = std::log(a_ms);
      const double sigma = b_ms > a_ms ? (std::log(b_ms) - mu) / kZ99 : 0.0;
      return std::exp(mu + sigma * z);
    }
  }
  return 0;
}

Duration LatencySpec::sample_total(Random& random, int output_tokens) const {
  double ms = sample_first_byte_ms(random);
  if (per_output_token_ms > 0 && output_tokens > 0) ms += per_output_token_ms * output_tokens;
  return std::chrono::duration_cast<Duration>(std::chrono::duration<double, std::milli>(ms));
}

Result<LatencySpec> parse_latency(std::string_view text) {
  LatencySpec spec;
  if (auto colon = text.find(':'); colon != std::string_view::npos) {
    auto median = parse_ms(text.substr(0, colon), text);
    if (!median) return fail(median.error());
    auto p99 = parse_ms(text.substr(colon + 1), text);
    if (!p99) return fail(p99.error());
    if (*p99 < *median || *median <= 0) {
      return fail(ErrorCode::ConfigurationInvalid,
                  fmt::format("latency '{}': need 0 < median <= p99", text));
    }
    spec.kind = LatencySpec::Kind::LogNormal;
    spec.a_ms = *median;
    spec.b_ms = *p99;
    return spec;
  }
  if (auto dash = text.find('-'); dash != std::string_view::npos && dash > 0) {
    auto low = parse_ms(text.substr(0, dash), text);
    if (!low) return fail(low.error());
    auto high = parse_ms(text.substr(dash + 1), text);
    if (!high) return fail(high.error());
    if (*high < *low) {
      return fail(ErrorCode::ConfigurationInvalid,
                  fmt::format("latency '{}': need low <= high", text));
    }
    spec.kind = LatencySpec::Kind::Uniform;
    spec.a_ms = *low;
    spec.b_ms = *high;
    return spec;
  }
  auto fixed = parse_ms(text, text);
  if (!fixed) return fail(fixed.error());
  spec.kind = *fixed > 0 ? LatencySpec::Kind::Fixed : LatencySpec::Kind::None;
  spec.a_ms = *fixed;
  return spec;
}

std::string describe(const LatencySpec& spec) {
  std::string out;
  switch (spec.kind) {
    case LatencySpec::Kind::None:
      out = "0";
      break;
    case LatencySpec::Kind::Fixed:
      out = fmt::format("{}", spec.a_ms);
      break;
    case LatencySpec::Kind::Uniform:
      out = fmt::format("{}-{}", spec.a_ms, spec.b_ms);
      break;
    case LatencySpec::Kind::LogNormal:
      out = fmt::format("{}:{}", spec.a_ms, spec.b_ms);
      break;
  }
  if (spec.per_output_token_ms > 0) out += fmt::format("+{}ms/token", spec.per_output_token_ms);
  return out;
}

}  // namespace bedrock::emulator
