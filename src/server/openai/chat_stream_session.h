// One streamed /v1/chat/completions answer on the wire: upstream stream events,
// carried to the connection's executor, encoded as OpenAI chunks
// (chat_stream.h) and written to a ChunkedStream with backpressure. Private to
// the OpenAI routes.
//
// - The SSE head is written with the first event, so a call that fails before
// answering gets a
//   plain HTTP error with its status (429, 502, ...), as OpenAI answers.
// - Once the stream began, a failure (upstream, deadline) is one final error
// event and the
//   stream is finished, never cut.
// - write() false (the peer reads slowly): text waits in a bounded buffer until
// on_drained; past
//   the bound the call is cancelled and the connection closed (a peer that
//   stopped reading).
// - The peer leaving (on_cancel) cancels the upstream call through its
// CallHandle.
//
// Threads: on_event() and on_done() may be called from any thread (the upstream
// loop); the work is posted to the scope's executor, where everything else
// runs.
#pragma once

#include <memory>
#include <string>

#include "bedrock/net/responder.h"
#include "bedrock/runtime/async_client.h"
#include "chat_stream.h"
#include "server/request_scope.h"
#include "server/router.h"

namespace bedrock::server::openai {

class ChatStreamSession : public std::enable_shared_from_this<ChatStreamSession> {
 public:
  // Text held back from a slow peer before the stream is given up.
  static constexpr std::size_t kMaxPendingBytes = 8u << 20;

  ChatStreamSession(ScopePtr scope, ChatIdentity identity, bool include_usage, bool structured);

  // Starts the upstream call; registers the deadline hook.
  void start(runtime::InvokeRequest request);

 private:
  void on_event(models::StreamEvent event);       // executor
  void on_done(Result<runtime::InvokeResult> r);  // executor
  void on_deadline();                             // executor
  bool open();                                    // executor: head sent (or not possible)
  void flush();                                   // executor
  void end_with_error(const HttpError& error);    // executor

  ScopePtr scope_;
  ChatStreamEncoder encoder_;
  runtime::CallHandle call_;
  net::ChunkedStream stream_;
  std::string pending_;     // encoded, not yet accepted by the stream
  bool draining_ = false;   // an on_drained is registered
  bool finishing_ = false;  // the last event is in pending_: finish once it is written
  bool over_ = false;       // finished, failed, or the peer left: nothing more is written
  bool deadline_passed_ = false;
};

}  // namespace bedrock::server::openai
