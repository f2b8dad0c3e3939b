#include "bedrock/runtime/bedrock_client.h"

#include <fmt/format.h>

#include <charconv>

#include "bedrock/core/saturating_time.h"
#include "bedrock/core/url_redaction.h"
#include "bedrock/models/codec.h"
#include "bedrock/runtime/metrics.h"
#include "call_loop.h"
#include "default_transport.h"
#include "error_classifier.h"
#include "header_lookup.h"
#include "model_body.h"

namespace bedrock::runtime {

using std::chrono::duration_cast;
using std::chrono::microseconds;
using std::chrono::milliseconds;

struct BedrockClient::Impl {
  ClientState state;
};

namespace {

std::optional<int> header_int(const http::Headers& headers, std::string_view name) {
  auto v = header_value(headers, name);
  if (!v) return std::nullopt;
  int out = 0;
  auto [ptr, ec] = std::from_chars(v->data(), v->data() + v->size(), out);
  if (ec != std::errc() || ptr != v->data() + v->size() || out < 0) return std::nullopt;
  return out;
}

// Body usage first; the X-Amzn-Bedrock-*-Token-Count headers when the body has none.
models::TokenUsage usage_from(const models::TokenUsage& body, const http::Headers& headers) {
  if (body.reported) return body;
  auto in = header_int(headers, "X-Amzn-Bedrock-Input-Token-Count");
  auto out = header_int(headers, "X-Amzn-Bedrock-Output-Token-Count");
  models::TokenUsage u;
  if (in && out) {
    u.input_tokens = *in;
    u.output_tokens = *out;
    u.reported = true;
  }
  return u;
}

int max_output_for(const models::InferenceParams& params, const models::ModelInfo& info) {
  if (params.max_tokens) return *params.max_tokens;
  return info.max_output_tokens > 0 ? info.max_output_tokens : models::kDefaultMaxTokens;
}

}  // namespace

// Shared bookkeeping of one call: timing, the record, the sink.
class CallScope {
 public:
  CallScope(ClientState& state, std::string_view model_requested,
            const std::atomic<bool>* cancelled)
      : state_(state) {
    call.start = state.clock->steady();
    call.cancelled = cancelled;
    call.invocation_id = new_invocation_id();
    call.record = &record;
    record.model_requested = std::string(model_requested);
    record.timestamp = state.clock->wall();
  }

  // Saturating: a caller's "no practical limit" (milliseconds::max()) must not wrap into the past.
  void set_timeout(milliseconds timeout) {
    call.deadline = saturating_add(
        call.start, duration_from_seconds(static_cast<double>(timeout.count()) / 1000.0));
  }

  void finish_success(const std::string& model_used, const models::TokenUsage& usage,
                      const models::ModelInfo* info) {
    record.outcome = Outcome::Success;
    record.model_used = model_used;
    record.input_tokens = usage.input_tokens;
    record.output_tokens = usage.output_tokens;
    record.tokens_reported = usage.reported;
    if (info != nullptr && usage.reported) {
      record.cost_usd = models::estimate_cost(*info, usage.input_tokens, usage.output_tokens);
    }
    finish();
  }

  Error finish_failure(Error error) {
    record.outcome = Outcome::Failure;
    record.error_code = std::string(to_string(error.code));
    finish();
    return error;
  }

  CallContext call;
  InvocationRecord record;

 private:
  void finish() {
    record.latency = duration_cast<microseconds>(state_.clock->steady() - call.start);
    if (!record.attempt_log.empty()) record.request_id = record.attempt_log.back().request_id;
    if (state_.options.sink) state_.options.sink->record(record);
  }
  ClientState& state_;
};

BedrockClient::BedrockClient(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
BedrockClient::~BedrockClient() = default;

const ClientOptions& BedrockClient::options() const { return impl_->state.options; }
const RetryQuota& BedrockClient::retry_quota() const { return impl_->state.quota; }
const AdaptiveRateLimiter* BedrockClient::rate_limiter() const {
  return impl_->state.limiter.get();
}

Result<std::unique_ptr<BedrockClient>> BedrockClient::create(ClientOptions options) {
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
  auto impl = std::make_unique<Impl>();
  ClientState& s = impl->state;
  s.endpoint =
      options.endpoint_url.empty() ? default_endpoint(options.region) : options.endpoint_url;
  while (!s.endpoint.empty() && s.endpoint.back() == '/') s.endpoint.pop_back();
  if (s.endpoint.rfind("http://", 0) != 0 && s.endpoint.rfind("https://", 0) != 0) {
    return fail(ErrorCode::ConfigurationInvalid,
                fmt::format("endpoint URL '{}' must start with http:// or https://",
                            redact_url_credentials(s.endpoint)));
  }
  s.transport = options.transport;
  if (!s.transport) {
    auto made = make_default_transport(options);
    if (!made) return fail(made.error());
    s.transport = std::move(*made);
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
  return std::unique_ptr<BedrockClient>(new BedrockClient(std::move(impl)));
}

Result<InvokeResult> BedrockClient::invoke(std::string model_id, models::Prompt prompt,
                                           models::InferenceParams params) {
  InvokeRequest r;
  r.model_id = std::move(model_id);
  r.prompt = std::move(prompt);
  r.params = std::move(params);
  return invoke(r);
}

Result<InvokeResult> BedrockClient::converse(std::string model_id, models::Prompt prompt,
                                             models::InferenceParams params) {
  InvokeRequest r;
  r.model_id = std::move(model_id);
  r.prompt = std::move(prompt);
  r.params = std::move(params);
  r.use_converse = true;
  return invoke(r);
}

Result<InvokeResult> BedrockClient::invoke(const InvokeRequest& request) {
  ClientState& s = impl_->state;
  CallScope scope(s, request.model_id, request.cancelled);

  const size_t chain_length = 1 + request.fallbacks.size();
  bool deadline_set = false;
  std::optional<Error> last_error;
  for (size_t i = 0; i < chain_length; ++i) {
    const std::string& id = i == 0 ? request.model_id : request.fallbacks[i - 1];
    const bool primary = i == 0;
    const bool more = i + 1 < chain_length;

    // The family hint is for the primary id (an opaque ARN); fallbacks resolve on their own.
    auto resolved = s.registry->resolve(id, primary ? request.family : std::nullopt);
    if (!resolved && !primary && request.family) resolved = s.registry->resolve(id, request.family);

    std::optional<ModelBody> body;
    Error error;
    if (!resolved) {
      error = resolved.error();
    } else {
      auto encoded = encode_model_body(resolved->info, request);
      if (encoded) {
        body = std::move(*encoded);
      } else {
        error = encoded.error();
      }
    }

    const milliseconds read_timeout =
        s.options.read_timeout
            ? *s.options.read_timeout
            : default_read_timeout(resolved ? max_output_for(request.params, resolved->info)
                                            : models::kDefaultMaxTokens);
    if (!deadline_set) {
      scope.set_timeout(request.timeout     ? *request.timeout
                        : s.options.timeout ? *s.options.timeout
                                            : default_deadline(read_timeout));
      deadline_set = true;
    }

    if (body) {
      Operation op;
      op.model_id = id;
      op.operation = request.use_converse ? "converse" : "invoke";
      op.body = std::move(body->body);
      op.headers = std::move(body->headers);
      op.read_timeout = read_timeout;
      auto response = send_with_retries(s, std::move(op), scope.call);
      if (response) {
        auto completion = decode_model_body(resolved->info, request.use_converse, response->body);
        if (!completion) {
          Error e = completion.error();
          if (auto rid = header_value(response->headers, "x-amzn-RequestId")) {
            e.request_id = std::string(*rid);
          }
          return fail(scope.finish_failure(std::move(e)));
        }
        completion->usage = usage_from(completion->usage, response->headers);
        scope.finish_success(id, completion->usage, &resolved->info);
        return InvokeResult{std::move(*completion), std::move(scope.record)};
      }
      error = std::move(response.error());
    }

    // A fallback whose own encoding fails (its family cannot express the request) is skipped;
    // the primary's input errors end the call.
    const bool skippable =
        is_fallback_worthy(error) || (!primary && error.code == ErrorCode::Validation && !body);
    if (!more || !skippable || s.clock->steady() >= scope.call.deadline) {
      if (!primary && !body && last_error) {
        // The last fallback cannot even express the request: report why the chain moved on.
        scope.record.skipped.push_back({id, describe(error)});
        return fail(scope.finish_failure(std::move(*last_error)));
      }
      return fail(scope.finish_failure(std::move(error)));
    }
    scope.record.skipped.push_back({id, describe(error)});
    last_error = std::move(error);
  }
  return fail(scope.finish_failure(
      last_error ? *last_error : Error::make(ErrorCode::Unknown, "empty model chain")));
}

Result<RawResult> BedrockClient::invoke_raw(std::string_view model_id, std::string json_body,
                                            std::optional<milliseconds> timeout,
                                            const std::atomic<bool>* cancelled) {
  ClientState& s = impl_->state;
  CallScope scope(s, model_id, cancelled);
  // Pricing and the read-timeout default need the model; an id the registry cannot place is
  // still sent (Bedrock is the judge), just without a cost estimate.
  auto resolved = s.registry->resolve(model_id);
  const milliseconds read_timeout =
      s.options.read_timeout ? *s.options.read_timeout
                             : default_read_timeout(resolved && resolved->info.max_output_tokens > 0
                                                        ? resolved->info.max_output_tokens
                                                        : models::kDefaultMaxTokens);
  scope.set_timeout(timeout             ? *timeout
                    : s.options.timeout ? *s.options.timeout
                                        : default_deadline(read_timeout));
  Operation op;
  op.model_id = model_id;
  op.operation = "invoke";
  op.body = std::move(json_body);
  op.read_timeout = read_timeout;
  auto response = send_with_retries(s, std::move(op), scope.call);
  if (!response) return fail(scope.finish_failure(std::move(response.error())));
  auto usage = usage_from({}, response->headers);
  scope.finish_success(std::string(model_id), usage, resolved ? &resolved->info : nullptr);
  return RawResult{std::move(response->body), std::move(response->headers),
                   std::move(scope.record)};
}

}  // namespace bedrock::runtime
