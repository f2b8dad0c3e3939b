#include "bedrock/content/async_task.h"

#include <memory>
#include <string>
#include <utility>
#include <variant>

namespace bedrock::content {

runtime::CallHandle start_task(runtime::AsyncBedrockClient& client, const GenerationContext& ctx,
                               PreparedCall prepared, AsyncTaskCallbacks callbacks) {
  // Shared by the stream callback and the done handler, which the client runs on one thread,
  // one after the other.
  struct State {
    GenerationContext ctx;
    PreparedCall prepared;
    AsyncTaskCallbacks callbacks;
    std::string streamed;
  };
  auto state = std::make_shared<State>(State{ctx, std::move(prepared), std::move(callbacks), {}});
  runtime::InvokeRequest request = state->prepared.request;
  auto done = [state](Result<runtime::InvokeResult> result) {
    auto out =
        finish_task(state->ctx, state->prepared, std::move(result), std::move(state->streamed));
    state->callbacks.done(std::move(out));
  };
  if (!state->callbacks.on_text) return client.invoke(std::move(request), std::move(done));
  auto on_event = [state](const models::StreamEvent& event) {
    const auto* delta = std::get_if<models::TextDelta>(&event);
    if (delta == nullptr || delta->text.empty()) return;
    state->streamed += delta->text;
    state->callbacks.on_text(delta->text);
  };
  return client.invoke_stream(std::move(request), std::move(on_event), std::move(done));
}

}  // namespace bedrock::content
