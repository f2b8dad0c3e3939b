#include "call_loop.h"

#include <fmt/format.h>

#include <random>

#include "bedrock/core/url_redaction.h"
#include "request_builder.h"

namespace bedrock::runtime {

Status init_client_state(ClientState& s, ClientOptions options) {
  if (options.region.empty()) {
    return fail(ErrorCode::ConfigurationInvalid,
                "Missing Region: set AWS_REGION, a profile region, or --region");
  }
  if (!options.bearer_token && !options.credentials) {
    return fail(ErrorCode::ConfigurationInvalid,
                "no credentials provider and no bearer token were given to the client");
  }
  if (options.max_attempts < 1) {
    return fail(ErrorCode::ConfigurationInvalid,
                fmt::format("max_attempts must be at least 1, got {}", options.max_attempts));
  }
  s.endpoint =
      options.endpoint_url.empty() ? default_endpoint(options.region) : options.endpoint_url;
  while (!s.endpoint.empty() && s.endpoint.back() == '/') s.endpoint.pop_back();
  if (s.endpoint.rfind("http://", 0) != 0 && s.endpoint.rfind("https://", 0) != 0) {
    return fail(ErrorCode::ConfigurationInvalid,
                fmt::format("endpoint URL '{}' must start with http:// or https://",
                            redact_url_credentials(s.endpoint)));
  }
  s.clock = options.clock != nullptr ? options.clock : &system_clock();
  s.random = options.random ? options.random : std::make_shared<SystemRandom>();
  s.registry = options.registry != nullptr ? options.registry : &models::ModelRegistry::builtin();
  s.policy = RetryPolicy::for_mode(options.retry_mode, options.max_attempts);
  s.first_attempt_header = fmt::format("attempt=1; max={}", s.policy.max_attempts);
  if (options.retry_mode == config::RetryMode::Adaptive) {
    s.limiter = std::make_unique<AdaptiveRateLimiter>(*s.clock);
  }
  s.options = std::move(options);
  return {};
}

Result<auth::Credentials> credentials_before(ClientState& state, SteadyTime deadline) {
  try {
    return state.options.credentials->get_before(deadline);
  } catch (const std::exception& e) {
    return fail(ErrorCode::Unknown, fmt::format("the credentials provider failed: {}", e.what()));
  } catch (...) {
    return fail(ErrorCode::Unknown, "the credentials provider failed");
  }
}

std::string new_invocation_id() {
  thread_local std::mt19937_64 rng{std::random_device{}()};
  const uint64_t hi = rng();
  const uint64_t lo = rng();
  uint8_t b[16];
  for (int i = 0; i < 8; ++i) {
    b[i] = static_cast<uint8_t>(hi >> (56 - 8 * i));
    b[8 + i] = static_cast<uint8_t>(lo >> (56 - 8 * i));
  }
  b[6] = static_cast<uint8_t>((b[6] & 0x0F) | 0x40);  // version 4
  b[8] = static_cast<uint8_t>((b[8] & 0x3F) | 0x80);  // RFC 4122 variant
  // Hand-formatted: this runs once per call and fmt's 16 replacement fields showed in the
  // per-call profile.
  constexpr char kHex[] = "0123456789abcdef";
  std::string id(36, '-');
  std::size_t pos = 0;
  for (int i = 0; i < 16; ++i) {
    if (pos == 8 || pos == 13 || pos == 18 || pos == 23) ++pos;
    id[pos++] = kHex[b[i] >> 4];
    id[pos++] = kHex[b[i] & 0x0F];
  }
  return id;
}

}  // namespace bedrock::runtime
