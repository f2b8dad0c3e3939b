#include "call_machine.h"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>

#include "bedrock/auth/bearer.h"
#include "bedrock/auth/sigv4.h"
#include "bedrock/core/log.h"
#include "bedrock/core/saturating_time.h"
#include "bedrock/models/codec.h"
#include "bedrock/models/structured_output.h"
#include "bedrock/runtime/metrics.h"
#include "error_classifier.h"
#include "header_lookup.h"

namespace bedrock::runtime {
namespace {

using std::chrono::duration_cast;
using std::chrono::microseconds;
using std::chrono::milliseconds;

std::optional<int> header_int(const http::Headers& headers, std::string_view name) {
  auto v = header_value(headers, name);
  if (!v) return std::nullopt;
  int out = 0;
  auto [ptr, ec] = std::from_chars(v->data(), v->data() + v->size(), out);
  if (ec != std::errc() || ptr != v->data() + v->size() || out < 0) return std::nullopt;
  return out;
}

// Body (or stream) usage first; the X-Amzn-Bedrock-*-Token-Count headers when it has none, read
// through the same models::token_usage() as every body and stream.
models::TokenUsage usage_from(const models::TokenUsage& body, const http::Headers& headers) {
  if (body.reported) return body;
  models::UsageUpdate update;
  update.input_tokens = header_int(headers, "X-Amzn-Bedrock-Input-Token-Count");
  update.output_tokens = header_int(headers, "X-Amzn-Bedrock-Output-Token-Count");
  update.cache_read_input_tokens =
      header_int(headers, "X-Amzn-Bedrock-Cache-Read-Input-Token-Count");
  update.cache_write_input_tokens =
      header_int(headers, "X-Amzn-Bedrock-Cache-Write-Input-Token-Count");
  return models::token_usage(update);
}

int max_output_for(const models::InferenceParams& params, const models::ModelInfo& info) {
  if (params.max_tokens) return *params.max_tokens;
  return info.max_output_tokens > 0 ? info.max_output_tokens : models::kDefaultMaxTokens;
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

// An attempt that outlived its own limit (not the call's deadline) is treated as the model
// timing out: not retried, so the next model in the chain gets the time that is left.
Error attempt_timeout_error(std::string_view model_id, milliseconds limit, bool stream) {
  Error e = Error::make(
      ErrorCode::ModelTimeout,
      fmt::format("{} sent no {} within its attempt limit of {:.1f} s", model_id,
                  stream ? "first byte" : "answer", static_cast<double>(limit.count()) / 1000.0));
  e.retryable = false;
  return e;
}

// Bedrock's answer to a plain id of a model it serves only through inference profiles:
// "Invocation of model ID X with on-demand throughput isn't supported. Retry your request with
// the ID or ARN of an inference profile that contains this model." (the apostrophe may be
// typographic, so only the stable parts are matched).
bool is_on_demand_refusal(const Error& e) {
  return e.code == ErrorCode::Validation &&
         e.message.find("on-demand throughput") != std::string::npos &&
         e.message.find("inference profile") != std::string::npos;
}

// A profile id the region does not have: try the next candidate.
bool is_unknown_profile(const Error& e) {
  return e.code == ErrorCode::ResourceNotFound ||
         (e.code == ErrorCode::Validation &&
          e.message.find("model identifier is invalid") != std::string::npos);
}

void set_header(http::Headers& headers, std::string_view name, std::string value) {
  for (auto& [k, v] : headers) {
    if (k == name) {
      v = std::move(value);
      return;
    }
  }
  headers.emplace_back(std::string(name), std::move(value));
}

}  // namespace

CallMachine::CallMachine(ClientState& state, const InvokeRequest& request,
                         const StreamCallback* on_event)
    : state_(state), request_(&request), on_event_(on_event) {
  call_.start = state.clock->steady();
  call_.cancelled = request.cancelled;
  call_.invocation_id = new_invocation_id();
  call_.record = &record_;
  record_.model_requested = request.model_id;
  record_.timestamp = state.clock->wall();
  record_.streamed = on_event != nullptr;
  chain_length_ = 1 + request.fallbacks.size();
}

CallMachine::CallMachine(ClientState& state, RawCall raw) : state_(state) {
  call_.start = state.clock->steady();
  call_.cancelled = raw.cancelled;
  call_.invocation_id = new_invocation_id();
  call_.record = &record_;
  record_.model_requested = std::string(raw.model_id);
  record_.timestamp = state.clock->wall();
  raw_ = std::move(raw);
}

CallMachine::CallMachine(ClientState& state, CountCall count)
    : state_(state), request_(count.request), count_(true) {
  call_.start = state.clock->steady();
  call_.cancelled = count.request->cancelled;
  call_.invocation_id = new_invocation_id();
  call_.record = &record_;
  record_.model_requested = count.request->model_id;
  record_.timestamp = state.clock->wall();
}

CallMachine::~CallMachine() = default;

bool CallMachine::cancelled() const {
  return cancel_requested_ ||
         (call_.cancelled != nullptr && call_.cancelled->load(std::memory_order_relaxed));
}

CallMachine::Action CallMachine::next() {
  for (;;) {
    switch (stage_) {
      case Stage::StartModel:
        start_model();
        break;
      case Stage::BeforeAttempt:
        before_attempt();
        break;
      case Stage::AwaitCredentials:
        return NeedCredentials{call_.deadline};
      case Stage::ReadyToSend: {
        const SteadyTime now = state_.clock->steady();
        http::CallOptions& o = send_options_;
        o = {};
        o.connect_timeout = state_.options.connect_timeout;
        o.read_timeout = read_timeout_;
        o.deadline = call_.deadline;
        o.cancelled = call_.cancelled;
        attempt_limited_ = false;
        if (auto limit = attempt_limit()) {
          attempt_limit_ = *limit;
          const SteadyTime until = saturating_add(now, *limit);
          if (until < call_.deadline) {
            attempt_limited_ = true;
            if (on_event_ != nullptr) {
              o.first_byte_timeout = *limit;
            } else {
              o.deadline = until;
            }
          }
        }
        if (on_event_ != nullptr) {
          sink_ = std::make_unique<StreamSink>(request_->use_converse, resolved_->info.family,
                                               *on_event_, *state_.clock);
          o.sink = sink_.get();
        }
        sent_ = now;
        stage_ = Stage::InFlight;
        break;
      }
      case Stage::InFlight:
        return Send{&request_http_, send_options_};
      case Stage::Waiting:
        return Wait{wait_until_};
      case Stage::Done:
        return Finished{};
    }
  }
}

std::optional<milliseconds> CallMachine::attempt_limit() const {
  if (request_ != nullptr && request_->attempt_timeout) return request_->attempt_timeout;
  if (state_.options.attempt_timeout) return state_.options.attempt_timeout;
  const std::size_t models_left = chain_length_ - model_index_;
  if (models_left <= 1) return std::nullopt;
  const auto remaining = duration_cast<milliseconds>(call_.deadline - state_.clock->steady()) /
                         static_cast<long>(models_left);
  return std::min(read_timeout_, std::max(remaining, milliseconds(1)));
}

void CallMachine::start_model() {
  ClientState& s = state_;
  have_body_ = false;
  resolved_.reset();
  std::string body;
  BedrockHeaders headers;
  std::string_view operation;
  if (raw_) {
    model_id_ = std::string(raw_->model_id);
    // Pricing and the read-timeout default need the model; an id the registry cannot place is
    // still sent (Bedrock is the judge), just without a cost estimate.
    if (auto resolved = s.registry->resolve(model_id_)) resolved_ = std::move(*resolved);
    read_timeout_ = s.options.read_timeout
                        ? *s.options.read_timeout
                        : default_read_timeout(resolved_ && resolved_->info.max_output_tokens > 0
                                                   ? resolved_->info.max_output_tokens
                                                   : models::kDefaultMaxTokens);
    call_.deadline = saturating_add(
        call_.start, duration_from_seconds(
                         static_cast<double>((raw_->timeout       ? *raw_->timeout
                                              : s.options.timeout ? *s.options.timeout
                                                                  : default_deadline(read_timeout_))
                                                 .count()) /
                         1000.0));
    body = std::move(raw_->body);
    operation = "invoke";
  } else {
    const InvokeRequest& request = *request_;
    const bool primary = model_index_ == 0;
    model_id_ = primary ? request.model_id : request.fallbacks[model_index_ - 1];
    // The family hint is for the primary id (an opaque ARN); fallbacks resolve on their own.
    auto resolved = s.registry->resolve(model_id_, primary ? request.family : std::nullopt);
    if (!resolved && !primary && request.family) {
      resolved = s.registry->resolve(model_id_, request.family);
    }
    std::optional<Error> error;
    if (!resolved) {
      error = resolved.error();
    } else {
      resolved_ = std::move(*resolved);
      if (on_event_ != nullptr && !request.use_converse &&
          !models::supports_invoke_stream(resolved_->info.family)) {
        error = Error::make(
            ErrorCode::Validation,
            fmt::format("{} cannot be streamed with InvokeModel; use Converse", model_id_));
      } else if (auto encoded = encode_model_body(resolved_->info, request, on_event_ != nullptr)) {
        record_.structured_output = request.prompt.output_schema
                                        ? std::string(models::to_string(models::structured_form(
                                              *request.prompt.output_schema, resolved_->info)))
                                        : std::string();
        body = std::move(encoded->body);
        headers = std::move(encoded->headers);
        have_body_ = true;
        if (count_) {
          // The native body travels base64-encoded inside the count request, so none of the
          // InvokeModel headers (guardrails, Accept) apply.
          headers = BedrockHeaders{};
          headers.invoke_model = false;
          if (auto wrapped = count_tokens_body(body, request.use_converse)) {
            body = std::move(*wrapped);
          } else {
            error = wrapped.error();
          }
        }
      } else {
        error = encoded.error();
      }
    }
    read_timeout_ =
        s.options.read_timeout
            ? *s.options.read_timeout
            : default_read_timeout(resolved_ ? max_output_for(request.params, resolved_->info)
                                             : models::kDefaultMaxTokens);
    if (!deadline_set_) {
      const milliseconds timeout = request.timeout     ? *request.timeout
                                   : s.options.timeout ? *s.options.timeout
                                                       : default_deadline(read_timeout_);
      call_.deadline = saturating_add(
          call_.start, duration_from_seconds(static_cast<double>(timeout.count()) / 1000.0));
      deadline_set_ = true;
    }
    if (error) {
      model_failed(std::move(*error));
      return;
    }
    if (count_) {
      operation = "count-tokens";
    } else if (on_event_ != nullptr) {
      operation = request.use_converse ? "converse-stream" : "invoke-with-response-stream";
    } else {
      operation = request.use_converse ? "converse" : "invoke";
    }
  }
  have_body_ = true;
  operation_ = std::string(operation);
  wire_id_ = model_id_;
  profiles_left_.clear();
  profiles_planned_ = false;
  on_demand_refusal_.reset();
  record_.profile_used.clear();
  if (profiles_allowed() &&
      (models::needs_inference_profile(resolved_->base_id) || state_.profiles.find(model_id_))) {
    plan_profiles();
    use_next_profile();
  }
  // Built once per model; each attempt trims it back to these headers and signs it again, so a
  // retry never re-sends the previous attempt's signature or SDK headers, and no attempt copies
  // the body.
  request_http_ = build_request(operation_url(s.endpoint, wire_id_, operation), std::move(body),
                                headers, s.options.user_agent);
  if (on_event_ != nullptr) {
    set_header(request_http_.headers, "Accept", "application/vnd.amazon.eventstream");
    if (!request_->use_converse) {
      request_http_.headers.emplace_back("X-Amzn-Bedrock-Accept", "application/json");
    }
  }
  unsigned_header_count_ = request_http_.headers.size();
  retry_.emplace(s.policy, &s.quota, *s.random);
  attempt_ = 0;
  last_attempt_error_.reset();
  stage_ = Stage::BeforeAttempt;
}

void CallMachine::before_attempt() {
  const SteadyTime now = state_.clock->steady();
  if (cancelled()) return model_failed(cancelled_error(last_attempt_error_));
  if (now >= call_.deadline) {
    return model_failed(deadline_error(last_attempt_error_, "before an attempt"));
  }
  if (state_.limiter) {
    const Duration wait = state_.limiter->reserve(now);
    if (wait > Duration::zero()) {
      if (saturating_add(now, wait) > call_.deadline) {
        return model_failed(
            deadline_error(last_attempt_error_, "while waiting for the client-side rate limiter"));
      }
      wait_until_ = now + wait;
      stage_ = Stage::Waiting;
      return;
    }
  }
  ++attempt_;
  request_http_.headers.erase(
      request_http_.headers.begin() + static_cast<std::ptrdiff_t>(unsigned_header_count_),
      request_http_.headers.end());
  if (state_.options.bearer_token) {
    if (auto st = auth::apply_bearer(request_http_, *state_.options.bearer_token); !st) {
      return model_failed(st.error());
    }
    add_sdk_headers();
    stage_ = Stage::ReadyToSend;
    return;
  }
  stage_ = Stage::AwaitCredentials;
}

void CallMachine::on_credentials(Result<auth::Credentials> credentials) {
  if (stage_ != Stage::AwaitCredentials) return;
  if (cancelled()) return model_failed(cancelled_error(last_attempt_error_));
  if (!credentials) return model_failed(std::move(credentials.error()));
  auth::sigv4::SigningParams params;
  params.region = state_.options.region;
  params.service = "bedrock";
  params.time = state_.clock->wall();
  if (auto st = auth::sigv4::sign(request_http_, *credentials, params); !st) {
    return model_failed(st.error());
  }
  add_sdk_headers();
  stage_ = Stage::ReadyToSend;
}

void CallMachine::add_sdk_headers() {
  // Added after signing and never signed, as botocore's add_retry_headers does.
  request_http_.headers.emplace_back("amz-sdk-invocation-id", call_.invocation_id);
  if (attempt_ == 1) {
    request_http_.headers.emplace_back("amz-sdk-request", state_.first_attempt_header);
    return;
  }
  const auto ttl = saturating_add(state_.clock->wall(),
                                  duration_cast<WallTime::duration>(duration_from_seconds(
                                      static_cast<double>(read_timeout_.count()) / 1000.0)));
  request_http_.headers.emplace_back(
      "amz-sdk-request", fmt::format("ttl={}; attempt={}; max={}", auth::sigv4::amz_date(ttl),
                                     attempt_, state_.policy.max_attempts));
}

void CallMachine::on_wait_over() {
  if (stage_ == Stage::Waiting) stage_ = Stage::BeforeAttempt;
}

void CallMachine::on_response(Result<http::Response> response) {
  if (stage_ != Stage::InFlight) return;
  if (sink_) return on_stream_answer(std::move(response));
  const SteadyTime now = state_.clock->steady();
  AttemptRecord rec;
  rec.model_id = wire_id_;
  rec.latency = duration_cast<microseconds>(now - sent_);
  ++record_.attempts;

  if (response && response->status >= 200 && response->status < 300) {
    rec.http_status = response->status;
    if (auto rid = header_value(response->headers, "x-amzn-RequestId")) rec.request_id = *rid;
    record_.attempt_log.push_back(std::move(rec));
    if (state_.limiter) state_.limiter->on_response(false);
    retry_->on_success();
    if (count_) {
      auto counted = decode_count_tokens(response->body);
      if (!counted) {
        Error e = counted.error();
        if (auto rid = header_value(response->headers, "x-amzn-RequestId")) {
          e.request_id = std::string(*rid);
        }
        return finish_failure(std::move(e));
      }
      models::TokenUsage usage;
      usage.input_tokens = *counted;
      usage.reported = true;
      finish_success(wire_id_, usage, nullptr);  // counting is not billed
      count_result_ = CountTokensResult{*counted, std::move(record_)};
      return;
    }
    if (raw_) {
      auto usage = usage_from({}, response->headers);
      finish_success(wire_id_, usage, resolved_ ? &resolved_->info : nullptr);
      raw_result_ =
          RawResult{std::move(response->body), std::move(response->headers), std::move(record_)};
      return;
    }
    auto completion = decode_model_body(resolved_->info, request_->use_converse, response->body);
    if (!completion) {
      Error e = completion.error();
      if (auto rid = header_value(response->headers, "x-amzn-RequestId")) {
        e.request_id = std::string(*rid);
      }
      return finish_failure(std::move(e));
    }
    completion->usage = usage_from(completion->usage, response->headers);
    auto structured_result = structured(std::move(*completion));
    if (!structured_result) {
      Error e = structured_result.error();
      if (auto rid = header_value(response->headers, "x-amzn-RequestId")) {
        e.request_id = std::string(*rid);
      }
      return finish_failure(std::move(e));
    }
    completion = std::move(*structured_result);
    finish_success(wire_id_, completion->usage, &resolved_->info);
    invoke_result_ = InvokeResult{std::move(*completion), std::move(record_)};
    return;
  }

  Error error = response ? classify_http_error(response->status, response->headers, response->body)
                         : classify_transport_error(std::move(response.error()));
  if (attempt_limited_ && error.code == ErrorCode::DeadlineExceeded && now < call_.deadline) {
    error = attempt_timeout_error(model_id_, attempt_limit_, false);
  }
  rec.http_status = error.http_status;
  rec.error_code = std::string(to_string(error.code));
  rec.request_id = error.request_id;
  record_.attempt_log.push_back(std::move(rec));
  if (state_.limiter) state_.limiter->on_response(is_throttling(error));
  attempt_failed(std::move(error));
}

void CallMachine::on_stream_answer(Result<http::Response> response) {
  std::unique_ptr<StreamSink> sink = std::move(sink_);
  const SteadyTime now = state_.clock->steady();
  AttemptRecord rec;
  rec.model_id = wire_id_;
  rec.latency = duration_cast<microseconds>(now - sent_);
  ++record_.attempts;

  if (response && !sink->head_seen()) {
    // A transport that cannot stream (it ignored the sink) hands over the whole body: read it
    // the same way, so the answer and its events are the same, only later.
    sink->on_head(response->status, response->headers);
    sink->on_body(response->body);
  }
  const http::Headers& headers = response ? response->headers : sink->headers();
  std::optional<models::Completion> completion;
  Error error;
  if (sink->failure()) {
    error = *sink->failure();  // typed in-stream exception or a malformed stream
    if (auto rid = header_value(sink->headers(), "x-amzn-RequestId")) error.request_id = *rid;
    if (error.http_status == 0) error.http_status = sink->status();
  } else if (!response) {
    error = classify_transport_error(std::move(response.error()));
    if (attempt_limited_ && !sink->head_seen() &&
        (error.code == ErrorCode::ReadTimeout ||
         (error.code == ErrorCode::DeadlineExceeded && now < call_.deadline))) {
      error = attempt_timeout_error(model_id_, attempt_limit_, true);
    }
  } else if (response->status < 200 || response->status >= 300) {
    error = classify_http_error(response->status, response->headers,
                                sink->error_body().empty() ? std::string_view(response->body)
                                                           : std::string_view(sink->error_body()));
  } else if (auto done = sink->finish()) {
    completion = std::move(*done);
  } else {
    error = done.error();
    if (auto rid = header_value(headers, "x-amzn-RequestId")) error.request_id = *rid;
  }
  if (!completion && cancelled()) error = cancelled_error(last_attempt_error_);

  if (sink->first_event_time()) {
    record_.time_to_first_token =
        duration_cast<microseconds>(*sink->first_event_time() - call_.start);
  }
  if (completion) {
    rec.http_status = response->status;
    if (auto rid = header_value(headers, "x-amzn-RequestId")) rec.request_id = *rid;
    record_.attempt_log.push_back(std::move(rec));
    if (state_.limiter) state_.limiter->on_response(false);
    retry_->on_success();
    completion->usage = usage_from(completion->usage, headers);
    if (completion->usage.reported && sink->first_event_time()) {
      const double seconds = std::chrono::duration<double>(now - *sink->first_event_time()).count();
      if (seconds > 0) record_.tokens_per_second = completion->usage.output_tokens / seconds;
    }
    auto structured_result = structured(std::move(*completion));
    if (!structured_result) {
      // The caller saw the answer's events already: the mismatch ends the call, as any failure
      // after the first event does.
      Error e = structured_result.error();
      if (auto rid = header_value(headers, "x-amzn-RequestId")) e.request_id = std::string(*rid);
      return finish_failure(std::move(e));
    }
    completion = std::move(*structured_result);
    finish_success(wire_id_, completion->usage, &resolved_->info);
    invoke_result_ = InvokeResult{std::move(*completion), std::move(record_)};
    return;
  }
  rec.http_status = error.http_status;
  rec.error_code = std::string(to_string(error.code));
  rec.request_id = error.request_id;
  record_.attempt_log.push_back(std::move(rec));
  if (state_.limiter) state_.limiter->on_response(is_throttling(error));
  if (sink->delivered()) {
    // The caller has seen part of this answer: repeating it (or asking another model) would
    // show them a second, different beginning.
    error.partial_output = sink->partial().text;
    return finish_failure(std::move(error));
  }
  attempt_failed(std::move(error));
}

void CallMachine::attempt_failed(Error error) {
  if (error.code == ErrorCode::DeadlineExceeded) {
    return model_failed(deadline_error(last_attempt_error_, "during the transfer (aborted)"));
  }
  if (error.code == ErrorCode::Cancelled) return model_failed(cancelled_error(last_attempt_error_));
  if (try_next_profile(error)) return;
  const SteadyTime now = state_.clock->steady();
  RetryDecision decision = retry_->on_failure(error, call_.deadline - now);
  if (!decision.retry) {
    if (decision.deadline_exceeded) {
      return model_failed(deadline_error(error, "before the next retry could start"));
    }
    if (error.retryable) error.message += fmt::format(" [gave up: {}]", decision.reason);
    return model_failed(std::move(error));
  }
  logger()->debug("retrying {} after {} ms: {}", model_id_,
                  duration_cast<milliseconds>(decision.delay).count(), describe(error));
  last_attempt_error_ = std::move(error);
  wait_until_ = saturating_add(now, decision.delay);
  stage_ = Stage::Waiting;
}

bool CallMachine::profiles_allowed() const {
  // CountTokens takes foundation-model ids only; an id that already names a profile or an ARN
  // is the caller's choice.
  return !count_ && state_.options.inference_profiles && resolved_ &&
         resolved_->geo_prefix.empty() && resolved_->arn_resource.empty();
}

void CallMachine::plan_profiles() {
  profiles_planned_ = true;
  profiles_left_.clear();
  const auto remembered = state_.profiles.find(model_id_);
  if (remembered) profiles_left_.push_back(*remembered);
  for (const auto& prefix : models::inference_profile_prefixes(state_.options.region)) {
    std::string id = prefix + "." + model_id_;
    if (!remembered || id != *remembered) profiles_left_.push_back(std::move(id));
  }
}

void CallMachine::use_next_profile() {
  wire_id_ = std::move(profiles_left_.front());
  profiles_left_.erase(profiles_left_.begin());
  record_.profile_used = wire_id_;
}

bool CallMachine::try_next_profile(Error& error) {
  if (!profiles_allowed()) return false;
  if (wire_id_ == model_id_) {
    if (!is_on_demand_refusal(error)) return false;
    on_demand_refusal_ = error;
    if (!profiles_planned_) plan_profiles();
  } else if (!is_unknown_profile(error)) {
    return false;
  }
  if (profiles_left_.empty()) {
    if (on_demand_refusal_ && wire_id_ != model_id_) {
      // The profile's own refusal would hide why a profile was tried at all.
      Error refusal = *on_demand_refusal_;
      refusal.message +=
          fmt::format(" [inference profile {} refused too: {}]", wire_id_, describe(error));
      error = std::move(refusal);
    }
    return false;
  }
  logger()->debug("{}: trying inference profile {} after: {}", model_id_, profiles_left_.front(),
                  describe(error));
  use_next_profile();
  request_http_.url = operation_url(state_.endpoint, wire_id_, operation_);
  // A different id is a new request as far as retries go: its own attempts, counted from 1.
  retry_.emplace(state_.policy, &state_.quota, *state_.random);
  attempt_ = 0;
  last_attempt_error_ = std::move(error);
  stage_ = Stage::BeforeAttempt;
  return true;
}

void CallMachine::model_failed(Error error) {
  if (raw_) return finish_failure(std::move(error));
  const bool primary = model_index_ == 0;
  const bool more = model_index_ + 1 < chain_length_;
  // A fallback whose own encoding fails (its family cannot express the request) is skipped;
  // the primary's input errors end the call.
  const bool skippable =
      is_fallback_worthy(error) || (!primary && error.code == ErrorCode::Validation && !have_body_);
  if (!more || !skippable || state_.clock->steady() >= call_.deadline) {
    if (!primary && !have_body_ && last_model_error_) {
      // The last fallback cannot even express the request: report why the chain moved on.
      record_.skipped.push_back({model_id_, describe(error)});
      return finish_failure(std::move(*last_model_error_));
    }
    return finish_failure(std::move(error));
  }
  record_.skipped.push_back({model_id_, describe(error)});
  last_model_error_ = std::move(error);
  ++model_index_;
  stage_ = Stage::StartModel;
}

void CallMachine::finish_success(const std::string& model_used, const models::TokenUsage& answered,
                                 const models::ModelInfo* info) {
  // Writes are priced by their TTL; an answer that does not split them took the requested one.
  const models::TokenUsage usage =
      request_ != nullptr ? models::with_requested_ttl(answered, request_->prompt) : answered;
  record_.outcome = Outcome::Success;
  record_.model_used = model_used;
  if (!record_.profile_used.empty() && !count_) state_.profiles.remember(model_id_, model_used);
  record_.input_tokens = usage.input_tokens;
  record_.output_tokens = usage.output_tokens;
  record_.cache_read_input_tokens = usage.cache_read_input_tokens;
  record_.cache_write_input_tokens = usage.cache_write_input_tokens;
  record_.cache_write_1h_input_tokens = usage.cache_write_1h_input_tokens.value_or(0);
  record_.tokens_reported = usage.reported;
  if (info != nullptr && usage.reported) record_.cost_usd = models::estimate_cost(*info, usage);
  record_.latency = duration_cast<microseconds>(state_.clock->steady() - call_.start);
  if (!record_.attempt_log.empty()) record_.request_id = record_.attempt_log.back().request_id;
  if (state_.options.sink) state_.options.sink->record(record_);
  stage_ = Stage::Done;
}

Result<models::Completion> CallMachine::structured(models::Completion completion) const {
  const auto& schema = request_->prompt.output_schema;
  if (!schema) return completion;
  return models::structured_answer(std::move(completion), *schema, resolved_->info);
}

void CallMachine::finish_failure(Error error) {
  record_.outcome = Outcome::Failure;
  record_.error_code = std::string(to_string(error.code));
  record_.latency = duration_cast<microseconds>(state_.clock->steady() - call_.start);
  if (!record_.attempt_log.empty()) record_.request_id = record_.attempt_log.back().request_id;
  if (state_.options.sink) state_.options.sink->record(record_);
  if (count_) {
    count_result_ = fail(std::move(error));
  } else if (raw_) {
    raw_result_ = fail(std::move(error));
  } else {
    invoke_result_ = fail(std::move(error));
  }
  stage_ = Stage::Done;
}

Result<InvokeResult> CallMachine::take_invoke_result() {
  if (!invoke_result_) return fail(ErrorCode::Unknown, "the call has not finished");
  return std::move(*invoke_result_);
}

Result<CountTokensResult> CallMachine::take_count_result() {
  if (!count_result_) return fail(ErrorCode::Unknown, "the call has not finished");
  return std::move(*count_result_);
}

Result<RawResult> CallMachine::take_raw_result() {
  if (!raw_result_) return fail(ErrorCode::Unknown, "the call has not finished");
  return std::move(*raw_result_);
}

}  // namespace bedrock::runtime
