// The one call loop of the client as a resumable state machine: authorise, send, classify,
// retry or back off, fall back to the next model, decode, record. It never blocks, sleeps or
// reads a transport: next() says what it needs (credentials, a wait, a send) and the driver
// answers through on_credentials / on_wait_over / on_response. The synchronous client drives
// it with blocking calls, the asynchronous one with loop events; both get the same retries,
// quota, limiter, deadline clipping, fallbacks and records.
//
// Not thread-safe: one driver at a time (on one thread, or serialised on one io_context).
// The ClientState, the InvokeRequest and the StreamCallback must outlive the machine.
#pragma once

#include <atomic>
#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "bedrock/auth/credentials.h"
#include "bedrock/core/result.h"
#include "bedrock/http/transport.h"
#include "bedrock/runtime/bedrock_client.h"
#include "bedrock/runtime/invocation.h"
#include "call_loop.h"
#include "model_body.h"
#include "retry_policy.h"
#include "stream_sink.h"

namespace bedrock::runtime {

// invoke_raw()'s call: a caller-made InvokeModel body, no codec, no fallback.
struct RawCall {
  std::string_view model_id;
  std::string body;
  std::optional<std::chrono::milliseconds> timeout;
  const std::atomic<bool>* cancelled = nullptr;
};

// count_tokens()'s call: the request's body for its primary model, counted.
struct CountCall {
  const InvokeRequest* request;
};

class CallMachine {
 public:
  struct NeedCredentials {
    SteadyTime deadline;  // give up waiting for them here
  };
  struct Wait {
    SteadyTime until;  // backoff or the adaptive limiter; the driver calls on_wait_over()
  };
  struct Send {
    const http::Request* request;  // valid until on_response()
    http::CallOptions options;     // its sink (streams) lives in the machine
  };
  struct Finished {};
  using Action = std::variant<NeedCredentials, Wait, Send, Finished>;

  // A model call (invoke, or invoke_stream when `on_event` is set).
  CallMachine(ClientState& state, const InvokeRequest& request,
              const StreamCallback* on_event = nullptr);
  // invoke_raw().
  CallMachine(ClientState& state, RawCall raw);
  // count_tokens().
  CallMachine(ClientState& state, CountCall count);
  ~CallMachine();
  CallMachine(const CallMachine&) = delete;
  CallMachine& operator=(const CallMachine&) = delete;

  // What the driver must do next. Calling it again without an answer returns the same action.
  Action next();
  void on_credentials(Result<auth::Credentials> credentials);
  void on_response(Result<http::Response> response);
  void on_wait_over();

  // Asks the call to stop: the next step ends it with Cancelled. The driver also aborts what
  // it is waiting for (transport exchange, timer) and answers with Cancelled.
  void cancel() { cancel_requested_ = true; }
  bool cancelled() const;
  SteadyTime deadline() const { return call_.deadline; }

  // After Finished. Each is valid for the kind of call that was made.
  Result<InvokeResult> take_invoke_result();
  Result<RawResult> take_raw_result();
  Result<CountTokensResult> take_count_result();

 private:
  enum class Stage {
    StartModel,
    BeforeAttempt,
    AwaitCredentials,
    ReadyToSend,
    InFlight,
    Waiting,
    Done
  };

  void start_model();
  void before_attempt();
  void add_sdk_headers();
  void model_failed(Error error);
  void finish_success(const std::string& model_used, const models::TokenUsage& usage,
                      const models::ModelInfo* info);
  void finish_failure(Error error);
  // The answer of a request with an output schema as validated JSON text (structured_output.h);
  // other answers unchanged. Errors: SchemaMismatch.
  Result<models::Completion> structured(models::Completion completion) const;
  void on_stream_answer(Result<http::Response> response);
  void attempt_failed(Error error);
  bool profiles_allowed() const;
  void plan_profiles();
  bool try_next_profile(Error& error);
  void use_next_profile();
  std::optional<std::chrono::milliseconds> attempt_limit() const;

  ClientState& state_;
  const InvokeRequest* request_ = nullptr;  // model calls
  std::optional<RawCall> raw_;              // raw calls
  const StreamCallback* on_event_ = nullptr;
  bool count_ = false;  // count_tokens(): request_ is set, the operation is count-tokens
  bool cancel_requested_ = false;

  Stage stage_ = Stage::StartModel;
  CallContext call_;
  InvocationRecord record_;
  bool deadline_set_ = false;

  // Per model.
  std::size_t model_index_ = 0;
  std::size_t chain_length_ = 1;
  std::string model_id_;
  std::optional<models::ResolvedModel> resolved_;
  bool have_body_ = false;
  std::chrono::milliseconds read_timeout_{60000};
  std::optional<RetryState> retry_;
  http::Request request_http_;
  std::size_t unsigned_header_count_ = 0;
  int attempt_ = 0;
  std::optional<Error> last_attempt_error_;  // of this model, for deadline/cancel messages
  std::optional<Error> last_model_error_;    // of the previous model, for the chain
  std::string operation_;                    // "invoke", "converse", ...

  // Inference profiles (ClientOptions::inference_profiles), per model.
  std::string wire_id_;                     // the id in the URL: model_id_ or a profile id
  std::vector<std::string> profiles_left_;  // candidates not yet tried, best first
  bool profiles_planned_ = false;           // profiles_left_ was filled for this model
  std::optional<Error> on_demand_refusal_;  // Bedrock's refusal of the plain id

  // Per attempt.
  SteadyTime wait_until_{};
  SteadyTime sent_{};
  bool attempt_limited_ = false;  // this attempt's own limit is shorter than the deadline
  std::chrono::milliseconds attempt_limit_{0};
  http::CallOptions send_options_;
  std::unique_ptr<StreamSink> sink_;

  std::optional<Result<InvokeResult>> invoke_result_;
  std::optional<Result<RawResult>> raw_result_;
  std::optional<Result<CountTokensResult>> count_result_;
};

}  // namespace bedrock::runtime
