// The server-sent events of one streamed /api/ answer. Events may be queued from any thread
// (the upstream loop's callbacks, a map-reduce worker); they are written in order on the
// connection's executor, which is the only place the ChunkedStream is touched. Backpressure:
// what the stream will not take yet (write() false) waits in one buffer until on_drained; a
// client that lets more than kMaxBufferedBytes pile up is treated as gone. The model's answer
// is not paused meanwhile (the async client has no flow control); the buffer is bounded by the
// answer's own size, which max_tokens bounds.
#pragma once

#include <cstddef>
#include <functional>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

#include "bedrock/net/responder.h"
#include "server/request_scope.h"
#include "server/router.h"

namespace bedrock::server::api {

class SseChannel : public std::enable_shared_from_this<SseChannel> {
 public:
  static constexpr std::size_t kMaxBufferedBytes = 4u << 20;

  // On scope->executor() only: answers the request with the SSE head. `on_disconnect` runs
  // once, on the executor, when the client goes (or stops reading) before the final event is
  // written; it must not throw. Keeps the scope until the stream ends. Returns nullptr when the
  // request was already answered (the deadline's 504 came first).
  static std::shared_ptr<SseChannel> open(const ScopePtr& scope,
                                          std::function<void()> on_disconnect);

  // Any thread. `data` is one JSON object per event. Ignored after the final event.
  void event(std::string_view name, const nlohmann::json& data);
  // Any thread: the last event; the stream finishes once it is written.
  void final_event(std::string_view name, const nlohmann::json& data);

  // Whether the client is gone (any thread).
  bool disconnected() const;

  explicit SseChannel(ScopePtr scope);  // for make_shared; use open()

 private:
  void append(std::string framed, bool last);  // on the executor
  void pump();                                 // on the executor
  void disconnect();                           // on the executor

  ScopePtr scope_;  // dropped when the stream ends, which completes the request
  net::ChunkedStream stream_;
  boost::asio::any_io_executor executor_;
  std::function<void()> on_disconnect_;
  std::string buffer_;
  bool waiting_ = false;
  bool last_queued_ = false;  // executor only
  bool ended_ = false;        // executor only
  std::atomic<bool> final_posted_{false};
  std::atomic<bool> gone_{false};
};

}  // namespace bedrock::server::api
