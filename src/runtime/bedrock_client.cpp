#include "bedrock/runtime/bedrock_client.h"

#include <fmt/format.h>

#include <algorithm>
#include <variant>

#include "bedrock/core/saturating_time.h"
#include "bedrock/core/url_redaction.h"
#include "call_machine.h"
#include "default_transport.h"

namespace bedrock::runtime {

using std::chrono::milliseconds;

struct BedrockClient::Impl {
  ClientState state;
};

namespace {

// Longest single sleep while waiting, so cancellation is noticed promptly.
constexpr Duration kSleepSlice = std::chrono::milliseconds(50);

// The synchronous driver of the call machine: credentials, waits and sends block the caller's
// thread; waits are sliced so `cancelled` is noticed within kSleepSlice.
void run_to_completion(ClientState& s, CallMachine& machine) {
  const Clock& clock = *s.clock;
  for (;;) {
    auto action = machine.next();
    if (std::holds_alternative<CallMachine::Finished>(action)) return;
    if (auto* need = std::get_if<CallMachine::NeedCredentials>(&action)) {
      machine.on_credentials(credentials_before(s, need->deadline));
    } else if (auto* wait = std::get_if<CallMachine::Wait>(&action)) {
      for (;;) {
        if (machine.cancelled()) break;
        const auto now = clock.steady();
        if (now >= wait->until) break;
        clock.sleep_for(std::min<Duration>(wait->until - now, kSleepSlice));
      }
      machine.on_wait_over();
    } else if (auto* send = std::get_if<CallMachine::Send>(&action)) {
      machine.on_response(s.transport->send(*send->request, send->options));
    }
  }
}

}  // namespace

BedrockClient::BedrockClient(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
BedrockClient::~BedrockClient() = default;

Result<CountTokensResult> BedrockClient::count_tokens(const InvokeRequest& request) {
  CallMachine machine(impl_->state, CountCall{&request});
  run_to_completion(impl_->state, machine);
  return machine.take_count_result();
}

Result<CountTokensResult> BedrockClient::count_tokens(std::string model_id, models::Prompt prompt,
                                                      bool use_converse) {
  InvokeRequest r;
  r.model_id = std::move(model_id);
  r.prompt = std::move(prompt);
  r.use_converse = use_converse;
  return count_tokens(r);
}

const ClientOptions& BedrockClient::options() const { return impl_->state.options; }
const RetryQuota& BedrockClient::retry_quota() const { return impl_->state.quota; }
const AdaptiveRateLimiter* BedrockClient::rate_limiter() const {
  return impl_->state.limiter.get();
}

Result<std::unique_ptr<BedrockClient>> BedrockClient::create(ClientOptions options) {
  auto impl = std::make_unique<Impl>();
  ClientState& s = impl->state;
  if (auto st = init_client_state(s, std::move(options)); !st) return fail(st.error());
  s.transport = s.options.transport;
  if (!s.transport) {
    auto made = make_default_transport(s.options);
    if (!made) return fail(made.error());
    s.transport = std::move(*made);
  }
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
  CallMachine machine(impl_->state, request);
  run_to_completion(impl_->state, machine);
  return machine.take_invoke_result();
}

Result<InvokeResult> BedrockClient::invoke_stream(const InvokeRequest& request,
                                                  const StreamCallback& on_event) {
  CallMachine machine(impl_->state, request, &on_event);
  run_to_completion(impl_->state, machine);
  return machine.take_invoke_result();
}

Result<RawResult> BedrockClient::invoke_raw(std::string_view model_id, std::string json_body,
                                            std::optional<milliseconds> timeout,
                                            const std::atomic<bool>* cancelled) {
  CallMachine machine(impl_->state, RawCall{model_id, std::move(json_body), timeout, cancelled});
  run_to_completion(impl_->state, machine);
  return machine.take_raw_result();
}

}  // namespace bedrock::runtime
