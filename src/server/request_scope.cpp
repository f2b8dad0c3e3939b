#include "server/request_scope.h"

#include <algorithm>
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>

#include "bedrock/core/log.h"
#include "server/service.h"

namespace bedrock::server {

namespace {

// Whether the calling thread is running `executor`'s io_context (false when it cannot tell).
bool on_executor_thread(const boost::asio::any_io_executor& executor) {
  using Plain = boost::asio::io_context::executor_type;
  using Tracked = decltype(boost::asio::require(std::declval<Plain>(),
                                                boost::asio::execution::outstanding_work.tracked));
  if (const auto* e = executor.target<Plain>()) return e->running_in_this_thread();
  if (const auto* e = executor.target<Tracked>()) return e->running_in_this_thread();
  return false;
}

}  // namespace

struct RequestScope::Timer {
  explicit Timer(const boost::asio::any_io_executor& ex) : timer(ex) {}
  boost::asio::steady_timer timer;
};

RequestScope::RequestScope(Service& service, std::string request_id, std::string method,
                           std::size_t route_index, std::string_view route_name, ErrorStyle style,
                           Clock::time_point started, Clock::time_point deadline,
                           net::Responder responder)
    : service_(service),
      request_id_(std::move(request_id)),
      method_(std::move(method)),
      route_index_(route_index),
      route_name_(route_name),
      style_(style),
      started_(started),
      deadline_(deadline),
      executor_(responder.executor()),
      responder_(std::move(responder)) {}

RequestScope::~RequestScope() {
  try {
    if (!answered()) {
      logger()->error("request {} on {} ended unanswered", request_id_, route_name_);
      send_error(internal_error());
    }
    // The timer belongs to the connection's executor: it is cancelled and freed there (at once
    // when the scope ends on that thread, as it does for a call answered on the connection's loop).
    if (timer_ && on_executor_thread(executor_)) {
      timer_.reset();
    } else if (timer_) {
      boost::asio::post(executor_,
                        [t = std::shared_ptr<Timer>(std::move(timer_))] { t->timer.cancel(); });
    }
    service_.complete(*this);
  } catch (const std::exception& e) {
    logger()->error("request {}: ending its scope failed: {}", request_id_, e.what());
  }
}

std::chrono::milliseconds RequestScope::time_left() const {
  const auto left = deadline_ - Clock::now();
  if (left <= Clock::duration::zero()) return std::chrono::milliseconds(0);
  return std::chrono::duration_cast<std::chrono::milliseconds>(left);
}

bool RequestScope::take_responder(net::Responder& out) {
  if (answered_.exchange(true, std::memory_order_acq_rel)) return false;
  std::lock_guard lock(mutex_);
  out = std::move(responder_);
  return static_cast<bool>(out);
}

bool RequestScope::send(net::HttpResponse response) {
  net::Responder responder;
  if (!take_responder(responder)) return false;
  response.set("x-request-id", request_id_);
  status_.store(response.result_int(), std::memory_order_release);
  handed_over_.store(Clock::now().time_since_epoch().count(), std::memory_order_release);
  responder.send(std::move(response));
  return true;
}

std::optional<RequestScope::Clock::time_point> RequestScope::handed_over() const {
  const Clock::rep at = handed_over_.load(std::memory_order_acquire);
  if (at == 0) return std::nullopt;
  return Clock::time_point(Clock::duration(at));
}

bool RequestScope::send_json(unsigned status, const nlohmann::json& body) {
  namespace http = boost::beast::http;
  net::HttpResponse r{static_cast<http::status>(status), 11};
  r.set(http::field::content_type, "application/json");
  r.body() = body.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  return send(std::move(r));
}

bool RequestScope::send_error(const HttpError& error) {
  return send(error_response(error, style_, request_id_));
}

net::ChunkedStream RequestScope::stream(net::HttpResponse head) {
  net::Responder responder;
  if (!take_responder(responder)) return {};
  head.set("x-request-id", request_id_);
  status_.store(head.result_int(), std::memory_order_release);
  return responder.stream(std::move(head));
}

void RequestScope::record(const runtime::InvocationRecord& r) {
  std::lock_guard lock(mutex_);
  UpstreamSummary& s = summary_;
  ++s.calls;
  if (r.outcome == runtime::Outcome::Success) {
    s.model = r.model_used;
    if (!r.skipped.empty()) s.fallback_from = r.model_requested;
  } else {
    ++s.failures;
    s.error_code = r.error_code;
    if (s.model.empty()) s.model = r.model_requested;
  }
  s.input_tokens += r.input_tokens;
  s.output_tokens += r.output_tokens;
  s.cost_usd += r.cost_usd;
  s.retries += r.attempts > 1 ? r.attempts - 1 : 0;
  s.fallbacks += static_cast<int>(r.skipped.size());
  s.upstream_time += r.latency;
  const bool one_exchange = !r.streamed && r.attempts == 1 && r.attempt_log.size() == 1;
  s.upstream_wait += one_exchange ? std::min(r.attempt_log.front().latency, r.latency) : r.latency;
  if (r.time_to_first_token && !s.time_to_first_token)
    s.time_to_first_token = r.time_to_first_token;
}

void RequestScope::record_failure(const Error& error) {
  std::lock_guard lock(mutex_);
  ++summary_.calls;
  ++summary_.failures;
  summary_.error_code = std::string(to_string(error.code));
}

UpstreamSummary RequestScope::upstream() const {
  std::lock_guard lock(mutex_);
  return summary_;
}

void RequestScope::on_deadline(std::function<void()> fn) {
  std::lock_guard lock(mutex_);
  deadline_hooks_.push_back(std::move(fn));
}

void RequestScope::set_key(std::size_t index, std::string id) {
  key_index_ = index;
  key_id_ = std::move(id);
}

void RequestScope::arm_deadline(const std::shared_ptr<RequestScope>& self) {
  timer_ = std::make_unique<Timer>(executor_);
  timer_->timer.expires_at(deadline_);
  timer_->timer.async_wait(
      [weak = std::weak_ptr<RequestScope>(self)](boost::system::error_code ec) {
        if (ec) return;
        if (auto scope = weak.lock()) scope->deadline_passed();
      });
}

void RequestScope::deadline_passed() {
  send_error(deadline_exceeded());
  std::vector<std::function<void()>> hooks;
  {
    std::lock_guard lock(mutex_);
    hooks.swap(deadline_hooks_);
  }
  for (auto& hook : hooks) {
    try {
      hook();
    } catch (const std::exception& e) {
      logger()->error("request {}: a deadline hook threw: {}", request_id_, e.what());
    }
  }
}

}  // namespace bedrock::server
