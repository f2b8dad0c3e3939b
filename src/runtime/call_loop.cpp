#include "call_loop.h"

#include <fmt/format.h>

#include <algorithm>
#include <random>

#include "bedrock/auth/bearer.h"
#include "bedrock/auth/sigv4.h"
#include "bedrock/core/log.h"
#include "bedrock/core/saturating_time.h"
#include "error_classifier.h"
#include "header_lookup.h"

namespace bedrock::runtime {
namespace {

using std::chrono::duration_cast;
using std::chrono::microseconds;

// Longest single sleep during backoff, so cancellation is noticed promptly.
constexpr Duration kSleepSlice = std::chrono::milliseconds(50);

// Credentials are asked with the call's deadline, so waiting for another caller's refresh
// ends with the call; a provider supplied by the application may throw, which must not unwind
// through the call.
Result<auth::Credentials> credentials_before(ClientState& state, SteadyTime deadline) {
  try {
    return state.options.credentials->get_before(deadline);
  } catch (const std::exception& e) {
    return fail(ErrorCode::Unknown, fmt::format("the credentials provider failed: {}", e.what()));
  } catch (...) {
    return fail(ErrorCode::Unknown, "the credentials provider failed");
  }
}

Status authorize(ClientState& state, http::Request& request, SteadyTime deadline) {
  if (state.options.bearer_token) return auth::apply_bearer(request, *state.options.bearer_token);
  auto creds = credentials_before(state, deadline);
  if (!creds) return fail(creds.error());
  auth::sigv4::SigningParams params;
  params.region = state.options.region;
  params.service = "bedrock";
  params.time = state.clock->wall();
  return auth::sigv4::sign(request, *creds, params);
}

Error deadline_error(const std::optional<Error>& last, std::string_view what) {
  std::string msg = fmt::format("the call's deadline passed {}", what);
  if (last) msg += fmt::format("; last error: {}", describe(*last));
  Error e = Error::make(ErrorCode::DeadlineExceeded, std::move(msg));
  if (last) e.request_id = last->request_id;
  return e;
}

Error cancelled_error(const std::optional<Error>& last) {
  std::string msg = "the call was cancelled";
  if (last) msg += fmt::format("; last error: {}", describe(*last));
  return Error::make(ErrorCode::Cancelled, std::move(msg));
}

bool is_cancelled(const std::atomic<bool>* flag) {
  return flag != nullptr && flag->load(std::memory_order_relaxed);
}

// Sleeps `d` in slices, returning early (false) when cancelled.
bool sleep_unless_cancelled(const Clock& clock, Duration d, const std::atomic<bool>* cancelled) {
  const SteadyTime until = saturating_add(clock.steady(), d);
  for (;;) {
    if (is_cancelled(cancelled)) return false;
    const auto now = clock.steady();
    if (now >= until) return true;
    clock.sleep_for(std::min(until - now, kSleepSlice));
  }
}

}  // namespace

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

Result<http::Response> send_with_retries(ClientState& state, Operation op, CallContext& call) {
  const Clock& clock = *state.clock;
  RetryState retry(state.policy, &state.quota, *state.random);
  const int max_attempts = state.policy.max_attempts;
  // Built once; each attempt trims it back to these headers and signs it again, so a retry
  // never re-sends the previous attempt's signature or SDK headers, and no attempt copies the
  // body.
  http::Request request = build_request(operation_url(state.endpoint, op.model_id, op.operation),
                                        std::move(op.body), op.headers, state.options.user_agent);
  const std::size_t unsigned_header_count = request.headers.size();
  std::optional<Error> last;

  for (int attempt = 1;; ++attempt) {
    if (is_cancelled(call.cancelled)) return fail(cancelled_error(last));
    if (clock.steady() >= call.deadline) return fail(deadline_error(last, "before an attempt"));
    if (state.limiter) {
      auto acquired = state.limiter->acquire(call.deadline, call.cancelled);
      if (!acquired) {
        if (acquired.error().code == ErrorCode::Cancelled) return fail(cancelled_error(last));
        return fail(deadline_error(last, "while waiting for the client-side rate limiter"));
      }
    }

    request.headers.erase(
        request.headers.begin() + static_cast<std::ptrdiff_t>(unsigned_header_count),
        request.headers.end());
    if (auto st = authorize(state, request, call.deadline); !st) return fail(st.error());
    // Added after signing and never signed, as botocore's add_retry_headers does.
    request.headers.emplace_back("amz-sdk-invocation-id", call.invocation_id);
    if (attempt == 1) {
      request.headers.emplace_back("amz-sdk-request", state.first_attempt_header);
    } else {
      const auto ttl =
          saturating_add(clock.wall(), duration_cast<WallTime::duration>(duration_from_seconds(
                                           static_cast<double>(op.read_timeout.count()) / 1000.0)));
      request.headers.emplace_back(
          "amz-sdk-request", fmt::format("ttl={}; attempt={}; max={}", auth::sigv4::amz_date(ttl),
                                         attempt, max_attempts));
    }

    http::CallOptions options;
    options.connect_timeout = state.options.connect_timeout;
    options.read_timeout = op.read_timeout;
    options.deadline = call.deadline;
    options.cancelled = call.cancelled;

    const SteadyTime sent = clock.steady();
    auto response = state.transport->send(request, options);
    AttemptRecord rec;
    rec.model_id = std::string(op.model_id);
    rec.latency = duration_cast<microseconds>(clock.steady() - sent);
    ++call.record->attempts;

    if (response && response->status >= 200 && response->status < 300) {
      rec.http_status = response->status;
      if (auto rid = header_value(response->headers, "x-amzn-RequestId")) rec.request_id = *rid;
      call.record->attempt_log.push_back(std::move(rec));
      if (state.limiter) state.limiter->on_response(false);
      retry.on_success();
      return std::move(*response);
    }

    Error error = response
                      ? classify_http_error(response->status, response->headers, response->body)
                      : classify_transport_error(std::move(response.error()));
    rec.http_status = error.http_status;
    rec.error_code = std::string(to_string(error.code));
    rec.request_id = error.request_id;
    call.record->attempt_log.push_back(std::move(rec));
    if (state.limiter) state.limiter->on_response(is_throttling(error));

    if (error.code == ErrorCode::DeadlineExceeded) {
      return fail(deadline_error(last, "during the transfer (aborted)"));
    }
    if (error.code == ErrorCode::Cancelled) return fail(cancelled_error(last));

    const auto left = call.deadline - clock.steady();
    RetryDecision decision = retry.on_failure(error, left);
    if (!decision.retry) {
      if (decision.deadline_exceeded) {
        return fail(deadline_error(error, "before the next retry could start"));
      }
      if (error.retryable) error.message += fmt::format(" [gave up: {}]", decision.reason);
      return fail(std::move(error));
    }
    logger()->debug("retrying {} after {} ms: {}", op.model_id,
                    duration_cast<std::chrono::milliseconds>(decision.delay).count(),
                    describe(error));
    last = std::move(error);
    if (!sleep_unless_cancelled(clock, decision.delay, call.cancelled)) {
      return fail(cancelled_error(last));
    }
  }
}

}  // namespace bedrock::runtime
