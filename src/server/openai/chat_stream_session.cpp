#include "chat_stream_session.h"

#include <boost/asio/dispatch.hpp>

#include "bedrock/net/sse.h"
#include "server/service.h"

namespace bedrock::server::openai {

ChatStreamSession::ChatStreamSession(ScopePtr scope, ChatIdentity identity, bool include_usage,
                                     bool structured)
    : scope_(std::move(scope)), encoder_(std::move(identity), include_usage, structured) {}

void ChatStreamSession::start(runtime::InvokeRequest request) {
  auto self = shared_from_this();
  const auto executor = scope_->executor();
  call_ = scope_->service().upstream().invoke_stream(
      std::move(request),
      [self, executor](const models::StreamEvent& event) {
        // Inline when the call runs on the request's own loop (the usual case); every callback
        // of one call comes from one thread, so the order holds either way.
        boost::asio::dispatch(executor,
                              [self, event]() mutable { self->on_event(std::move(event)); });
      },
      [self, executor](Result<runtime::InvokeResult> r) {
        boost::asio::dispatch(executor,
                              [self, r = std::move(r)]() mutable { self->on_done(std::move(r)); });
      });
  std::weak_ptr<ChatStreamSession> weak = self;
  scope_->on_deadline([weak] {
    if (auto s = weak.lock()) s->on_deadline();
  });
}

bool ChatStreamSession::open() {
  if (stream_ || over_) return !over_;
  stream_ = scope_->stream(net::sse_head());
  if (!stream_) {  // answered already (the deadline's 504)
    over_ = true;
    call_.cancel();
    return false;
  }
  std::weak_ptr<ChatStreamSession> weak = shared_from_this();
  stream_.on_cancel([weak] {
    if (auto s = weak.lock()) {
      s->over_ = true;
      s->call_.cancel();
    }
  });
  return true;
}

void ChatStreamSession::on_event(models::StreamEvent event) {
  if (over_ || finishing_) return;
  const std::size_t before = pending_.size();
  encoder_.add(event, pending_);
  if (pending_.size() == before) return;
  if (!open()) return;
  flush();
}

void ChatStreamSession::on_done(Result<runtime::InvokeResult> r) {
  if (r) {
    scope_->record(r->record);
  } else {
    scope_->record_failure(r.error());
  }
  if (over_ || finishing_) return;
  if (!r) {
    const Error& e = r.error();
    HttpError error = deadline_passed_ ? deadline_exceeded()
                                       : from_error(e, scope_->service().config().retry_after);
    if (!deadline_passed_ && e.code == ErrorCode::Validation && e.http_status == 0) {
      error.message = e.message;  // our own check before sending: its sentence
                                  // names the field
    }
    if (!stream_) {
      over_ = true;
      scope_->send_error(error);
      return;
    }
    end_with_error(error);
    return;
  }
  if (!open()) return;
  encoder_.finish(r->completion, pending_);
  finishing_ = true;
  flush();
}

void ChatStreamSession::on_deadline() {
  deadline_passed_ = true;
  call_.cancel();
  // The cancelled call's Done writes the error event; an unopened stream was
  // answered 504.
  if (!stream_) over_ = true;
}

void ChatStreamSession::end_with_error(const HttpError& error) {
  encoder_.fail(error_body(error, ErrorStyle::OpenAI, scope_->request_id()), pending_);
  finishing_ = true;
  flush();
}

void ChatStreamSession::flush() {
  if (over_ || draining_) return;
  if (!pending_.empty()) {
    if (!stream_.write(pending_)) {
      if (pending_.size() > kMaxPendingBytes) {
        over_ = true;
        call_.cancel();
        stream_.close();
        return;
      }
      draining_ = true;
      stream_.on_drained([self = shared_from_this()] {
        self->draining_ = false;
        self->flush();
      });
      return;
    }
    pending_.clear();
  }
  if (finishing_) {
    over_ = true;
    stream_.finish();
  }
}

}  // namespace bedrock::server::openai
