// One prepared task call sent through the asynchronous client: no thread waits for the model,
// the answer (and, when streaming, each text delta) arrives on the client's io_context thread.
// The same finish_task as the synchronous path checks the result, so both give the same output.
#pragma once

#include <functional>
#include <string_view>

#include "bedrock/content/prepared_call.h"
#include "bedrock/runtime/async_client.h"

namespace bedrock::content {

struct AsyncTaskCallbacks {
  // Set to stream: each non-empty text delta of the answer, in order (never reasoning). A piece
  // may end inside a multi-byte UTF-8 character. Must not throw.
  std::function<void(std::string_view)> on_text;
  // Exactly once, with finish_task's result (errors after streamed text carry it in
  // partial_output). Must not throw.
  std::function<void(Result<CallOutput>)> done;
};

// Sends `prepared.request` with client.invoke (or invoke_stream when callbacks.on_text is set).
// Callbacks run on the client's io_context thread, never inside start_task. `ctx` is copied; what
// its pointers name (config, calibration) and its limits lookup must outlive the call; its
// invoker is not used. The handle cancels the call (done then gets Cancelled).
runtime::CallHandle start_task(runtime::AsyncBedrockClient& client, const GenerationContext& ctx,
                               PreparedCall prepared, AsyncTaskCallbacks callbacks);

}  // namespace bedrock::content
