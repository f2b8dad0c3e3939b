// One request's scope, shared by everything working on it (handler, upstream callbacks,
// stream writers) through a ScopePtr. How route authors use it:
//
// - Answer exactly once, with send(), send_json() or send_error() (any thread), or stream()
//   (on executor() only). A second answer is ignored (returns false). The scope sets
//   x-request-id on every answer. Dropping the last ScopePtr unanswered sends a 500 (a bug).
// - Threads: the handler runs on the connection's I/O thread; the Done and stream callbacks
//   of a call made through Service::upstream() from the handler run on that same thread, those
//   of a call made from another thread on the upstream loop (Service::upstream_io()). send*()
//   may be called from any of them. A ChunkedStream must be used on executor() only: from a
//   callback, boost::asio::dispatch(scope->executor(), ...) and write there (dispatch runs it
//   at once when already on that thread).
// - Upstream calls: set InvokeRequest::timeout to time_left(); report every call's outcome
//   with record() (success: InvokeResult::record) or record_failure() (the Error), so metrics,
//   the access log and the overhead histogram see it. Register on_deadline() to cancel the
//   call (CallHandle::cancel) when the request's deadline passes: for an unanswered request
//   the scope has then already sent 504; a stream must write its own final error event and
//   finish() (a stream is never cut for a deadline).
// - The request is complete when the last ScopePtr is dropped: keep one in every callback that
//   still works for the request (and no longer), as that moment ends its latency and writes
//   its access-log line.
#pragma once

#include <atomic>
#include <boost/asio/any_io_executor.hpp>
#include <chrono>
#include <functional>
#include <memory>
#include <mutex>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "bedrock/core/error.h"
#include "bedrock/net/responder.h"
#include "bedrock/runtime/invocation.h"
#include "server/http_error.h"

namespace bedrock::server {

class Service;

// What a request's upstream calls added up to (for the access log and metrics).
struct UpstreamSummary {
  int calls = 0;
  int failures = 0;
  std::string model;  // model_used of the last successful call (or the last requested)
  // The model asked first by the last successful call that a fallback answered; empty when
  // every answer came from the model asked.
  std::string fallback_from;
  std::string error_code;  // of the last failed call
  long long input_tokens = 0;
  long long output_tokens = 0;
  double cost_usd = 0;
  int retries = 0;                             // attempts beyond the first, over all calls
  int fallbacks = 0;                           // models given up for a fallback
  std::chrono::microseconds upstream_time{0};  // summed call latencies (recorded calls only)
  // Of upstream_time, what was spent waiting for Bedrock rather than working: a call answered
  // at its first attempt (not streamed) waited from the moment its request was ready to go out
  // (a free connection included) until the answer was in; for any other call (retries and their
  // backoff, streams whose events we handle while they arrive) the whole call counts.
  std::chrono::microseconds upstream_wait{0};
  std::optional<std::chrono::microseconds> time_to_first_token;  // first streamed call's
};

class RequestScope {
 public:
  using Clock = std::chrono::steady_clock;

  // Built by the Service for each request; route authors receive it.
  RequestScope(Service& service, std::string request_id, std::string method,
               std::size_t route_index, std::string_view route_name, ErrorStyle style,
               Clock::time_point started, Clock::time_point deadline, net::Responder responder);
  ~RequestScope();
  RequestScope(const RequestScope&) = delete;
  RequestScope& operator=(const RequestScope&) = delete;

  const std::string& request_id() const { return request_id_; }
  std::string_view route() const { return route_name_; }
  ErrorStyle error_style() const { return style_; }
  Clock::time_point started() const { return started_; }
  Clock::time_point deadline() const { return deadline_; }
  // Until the deadline, never negative (0 once it has passed).
  std::chrono::milliseconds time_left() const;
  // The API key's id from the config (its name, or the first 8 hex digits of its hash); empty
  // when the service has no keys.
  const std::string& key_id() const { return key_id_; }
  Service& service() const { return service_; }
  // The connection's executor: ChunkedStream calls go there.
  const boost::asio::any_io_executor& executor() const { return executor_; }

  // Answering (see the header comment). Return false when the request was already answered.
  bool send(net::HttpResponse response);
  bool send_json(unsigned status, const nlohmann::json& body);
  bool send_error(const HttpError& error);
  // On executor() only. `head`'s status is the one logged; an empty ChunkedStream when the
  // request was already answered.
  net::ChunkedStream stream(net::HttpResponse head);
  bool answered() const { return answered_.load(std::memory_order_acquire); }
  // When a whole answer (send*) was handed to the connection, where the service's own time
  // ends; nullopt for a stream (whose time ends with the scope) or before the answer.
  std::optional<Clock::time_point> handed_over() const;

  // Upstream outcomes (any thread).
  void record(const runtime::InvocationRecord& record);
  void record_failure(const Error& error);
  UpstreamSummary upstream() const;

  // `fn` runs once, on executor(), if the deadline passes before the request completes (for an
  // unanswered request, after the 504 is sent). Several may be registered. Must not throw.
  void on_deadline(std::function<void()> fn);

  // Service-internal: arms the deadline timer; names the API key the request holds a slot of;
  // what the access log and metrics read when the scope ends.
  void arm_deadline(const std::shared_ptr<RequestScope>& self);
  void set_key(std::size_t index, std::string id);
  unsigned status() const { return status_.load(std::memory_order_acquire); }
  std::size_t route_index() const { return route_index_; }
  std::size_t key_index() const { return key_index_; }
  const std::string& method() const { return method_; }

 private:
  bool take_responder(net::Responder& out);
  void deadline_passed();

  Service& service_;
  const std::string request_id_;
  const std::string method_;
  const std::size_t route_index_;
  const std::string_view route_name_;  // points into the Router, which outlives every scope
  const ErrorStyle style_;
  const Clock::time_point started_;
  const Clock::time_point deadline_;
  std::string key_id_;
  std::size_t key_index_ = static_cast<std::size_t>(-1);
  const boost::asio::any_io_executor executor_;

  std::atomic<bool> answered_{false};
  std::atomic<unsigned> status_{0};
  std::atomic<Clock::rep> handed_over_{0};  // Clock ticks since its epoch; 0: not yet
  mutable std::mutex mutex_;                // per request: responder_, summary_, deadline_hooks_
  net::Responder responder_;
  UpstreamSummary summary_;
  std::vector<std::function<void()>> deadline_hooks_;
  struct Timer;
  std::unique_ptr<Timer> timer_;
};

}  // namespace bedrock::server
