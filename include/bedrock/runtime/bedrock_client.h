// The synchronous Bedrock Runtime client: InvokeModel and Converse with retries as the AWS
// SDKs do them (retry_policy.h), one deadline per call, fallback chains and an invocation
// record for every call.
//
// Per call:
//   - one deadline (request.timeout, else ClientOptions::timeout, else default_deadline())
//     covers every attempt, backoff sleep and fallback model; it is handed to the transport,
//     which aborts the in-flight transfer when it passes; backoff sleeps never pass it (a
//     backoff that would is skipped and the call fails with DeadlineExceeded at once, naming
//     the last error). `request.cancelled` is checked before each attempt, during backoff and
//     by the transport during the transfer (Cancelled).
//   - every attempt is signed afresh (new X-Amz-Date), then gets amz-sdk-invocation-id (one
//     UUID per call) and amz-sdk-request "attempt=N; max=M" (plus ttl on retries), unsigned,
//     as botocore adds them after signing.
//   - fallback: when a model fails with an error another model could fix
//     (is_fallback_worthy: throttling after retries, model timeout, not ready, unavailable,
//     not found / not enabled, access denied, model error) the next model in
//     request.fallbacks is tried with the prompt encoded for its family. Input errors never
//     fall back. The record names the model that answered and why earlier ones were skipped.
//   - usage comes from the body (or the stream's metadata), else the X-Amzn-Bedrock-*-Token-Count
//     headers (cache read/write counts included), read by the one models::token_usage(); cost
//     prices cache tokens at the model's cached rates.
//   - a request with Prompt::output_schema (Converse only) returns the answer as validated JSON
//     text (models/structured_output.h), streamed or not; an answer that does not match fails
//     with SchemaMismatch (not retried, no fallback) and record.structured_output says which
//     form was used ("native" / "tool"). In a stream the Tool form's JSON arrives as
//     ToolUseDelta events; the result's text is the JSON either way.
//   - the InvocationRecord goes to ClientOptions::sink on success and failure alike.
//
// Thread-safe: one client per process serves every thread (the retry quota and the adaptive
// limiter are shared by all its calls, as in the SDKs).
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "bedrock/core/result.h"
#include "bedrock/http/transport.h"
#include "bedrock/runtime/adaptive_rate_limiter.h"
#include "bedrock/runtime/client_options.h"
#include "bedrock/runtime/invocation.h"
#include "bedrock/runtime/retry_quota.h"

namespace bedrock::runtime {

// invoke_raw()'s answer: the model's native body untouched.
struct RawResult {
  std::string body;
  http::Headers headers;
  InvocationRecord record;
};

// count_tokens()'s answer: what Bedrock would bill as input for that request.
struct CountTokensResult {
  int input_tokens = 0;
  InvocationRecord record;  // input_tokens as counted, output_tokens 0, cost 0
};

class BedrockClient final : public Invoker {
 public:
  // Errors: ConfigurationInvalid when the region is missing, the endpoint is not http(s), or
  // neither a bearer token nor a credentials provider is given.
  static Result<std::unique_ptr<BedrockClient>> create(ClientOptions options);

  // From the environment and ~/.aws exactly as the AWS CLI resolves them
  // (options_from_environment), with `overrides` winning.
  static Result<std::unique_ptr<BedrockClient>> from_environment(
      const config::ClientOverrides& overrides = {}, const Environment& env = system_environment());

  ~BedrockClient() override;
  BedrockClient(const BedrockClient&) = delete;
  BedrockClient& operator=(const BedrockClient&) = delete;

  // The full request (fallbacks, Converse, guardrails, ...). Errors: every ErrorCode a model
  // call can produce; Validation from encoding happens before any request is sent.
  Result<InvokeResult> invoke(const InvokeRequest& request) override;

  // ConverseStream when request.use_converse, else InvokeModelWithResponseStream (families that
  // Bedrock streams: models::supports_invoke_stream; others fail with Validation and fall back).
  // Events reach `on_event` on the calling thread as they arrive (content-less events such as
  // usage are held until the first content event). Retries and fallbacks only before the first
  // event reached `on_event`; after it a failure carries Error::partial_output. Per-attempt
  // limit: the first byte (attempt_timeout); silence between bytes: read_timeout. The record
  // has streamed, time_to_first_token and tokens_per_second.
  Result<InvokeResult> invoke_stream(const InvokeRequest& request,
                                     const StreamCallback& on_event) override;

  // Shorthands.
  Result<InvokeResult> invoke(std::string model_id, models::Prompt prompt,
                              models::InferenceParams params = {});
  Result<InvokeResult> converse(std::string model_id, models::Prompt prompt,
                                models::InferenceParams params = {});

  // InvokeModel with a caller-made native body (sent as is, answer returned as is; no codec,
  // no fallback). Retries, deadline and record as for invoke(). Tokens from the headers.
  Result<RawResult> invoke_raw(std::string_view model_id, std::string json_body,
                               std::optional<std::chrono::milliseconds> timeout = std::nullopt,
                               const std::atomic<bool>* cancelled = nullptr);

  // CountTokens (docs/wire-protocol.md §1.2): the input tokens `request` would be billed for,
  // counted by Bedrock without running the model. The body is what invoke() would send for
  // request.model_id (request.use_converse picks the Converse form); fallbacks and inference
  // profiles are not used (CountTokens takes foundation-model ids only). Retries, deadline,
  // cancellation and record as for invoke(). Errors: those of invoke() before a model runs;
  // Validation when the model or region does not count tokens; InvalidResponse when the answer
  // is not {"inputTokens": N}.
  Result<CountTokensResult> count_tokens(const InvokeRequest& request);
  Result<CountTokensResult> count_tokens(std::string model_id, models::Prompt prompt,
                                         bool use_converse = false);

  const ClientOptions& options() const;
  const RetryQuota& retry_quota() const;
  // nullptr unless the retry mode is adaptive.
  const AdaptiveRateLimiter* rate_limiter() const;

 private:
  struct Impl;
  explicit BedrockClient(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace bedrock::runtime
