// Responder and ChunkedStream are handles: each call is carried to the session's thread (or
// made there directly when already on it) and checked against the request it answers.
#include "bedrock/net/responder.h"

#include <boost/asio/post.hpp>
#include <utility>

#include "session.h"

namespace bedrock::net {
namespace asio = boost::asio;
using detail::Session;

namespace {

// Runs `fn(session)` on the session's thread: inline when already there (the hot path: a
// handler answering synchronously), else posted.
template <typename Fn>
void on_session(std::shared_ptr<Session> session, Fn&& fn) {
  if (session->on_own_thread()) return fn(*session);
  auto executor = session->executor();
  asio::post(executor,
             [session = std::move(session), fn = std::forward<Fn>(fn)]() mutable { fn(*session); });
}

}  // namespace

Responder::Responder(std::shared_ptr<Session> session)
    : session_(std::move(session)), request_(session_ ? session_->request() : 0) {}

Responder::Responder(Responder&& other) noexcept
    : session_(std::move(other.session_)), request_(other.request_) {}

Responder& Responder::operator=(Responder&& other) noexcept {
  if (this != &other) {
    Responder dropped(std::move(*this));
    session_ = std::move(other.session_);
    request_ = other.request_;
  }
  return *this;
}

Responder::~Responder() {
  // Closed connections (stop() closes them all) need no answer, and posting to a stopped
  // server must not happen.
  if (!session_ || session_->closed()) return;
  on_session(std::move(session_), [r = request_](Session& s) { s.responder_dropped(r); });
}

asio::any_io_executor Responder::executor() const {
  return session_ ? session_->executor() : asio::any_io_executor();
}

void Responder::send(HttpResponse response) {
  if (!session_) return;
  on_session(std::move(session_), [r = request_, response = std::move(response)](
                                      Session& s) mutable { s.answer(r, std::move(response)); });
}

ChunkedStream Responder::stream(HttpResponse head) {
  if (!session_) return {};
  auto session = std::move(session_);
  if (!session->begin_stream(request_, std::move(head))) return {};
  return ChunkedStream(std::move(session));
}

void Responder::on_cancel(std::function<void()> fn) {
  if (!session_) return;
  on_session(session_, [r = request_, fn = std::move(fn)](Session& s) mutable {
    s.on_cancel(r, std::move(fn));
  });
}

void Responder::after(std::chrono::steady_clock::duration delay,
                      std::function<void(Responder)> next) {
  if (!session_) return;
  auto session = std::move(session_);
  Session& s = *session;
  s.after(request_, delay, [weak = std::weak_ptr<Session>(session), next = std::move(next)] {
    if (auto alive = weak.lock()) next(Responder(std::move(alive)));
  });
}

void Responder::close() {
  if (session_) std::exchange(session_, nullptr)->abort(request_);
}

void Responder::send_partial(HttpResponse response, std::size_t body_bytes) {
  if (session_) {
    std::exchange(session_, nullptr)->answer_partial(request_, std::move(response), body_bytes);
  }
}

void Responder::hold(std::chrono::steady_clock::duration limit) {
  if (session_) std::exchange(session_, nullptr)->hold(request_, limit);
}

ChunkedStream::ChunkedStream(std::shared_ptr<Session> session)
    : session_(std::move(session)), request_(session_ ? session_->request() : 0) {}

ChunkedStream::ChunkedStream(ChunkedStream&& other) noexcept
    : session_(std::move(other.session_)), request_(other.request_) {}

ChunkedStream& ChunkedStream::operator=(ChunkedStream&& other) noexcept {
  if (this != &other) {
    ChunkedStream dropped(std::move(*this));
    session_ = std::move(other.session_);
    request_ = other.request_;
  }
  return *this;
}

ChunkedStream::~ChunkedStream() {
  if (!session_ || session_->closed()) return;
  on_session(std::move(session_), [r = request_](Session& s) { s.stream_dropped(r); });
}

asio::any_io_executor ChunkedStream::executor() const {
  return session_ ? session_->executor() : asio::any_io_executor();
}

bool ChunkedStream::write(std::string_view data) {
  return session_ && session_->stream_write(request_, data);
}
void ChunkedStream::flush() {
  if (session_) session_->stream_flush(request_);
}
void ChunkedStream::finish() {
  if (session_) session_->stream_finish(request_);
}
void ChunkedStream::close() {
  if (session_) std::exchange(session_, nullptr)->stream_close(request_);
}
void ChunkedStream::on_drained(std::function<void()> fn) {
  if (session_) session_->stream_on_drained(request_, std::move(fn));
}
void ChunkedStream::on_cancel(std::function<void()> fn) {
  if (session_) session_->stream_on_cancel(request_, std::move(fn));
}
void ChunkedStream::expire_after(std::chrono::steady_clock::duration limit) {
  if (session_) session_->stream_expire_after(request_, limit);
}
void ChunkedStream::after(std::chrono::steady_clock::duration delay, std::function<void()> fn) {
  if (session_) session_->after(request_, delay, std::move(fn));
}
void ChunkedStream::hold(std::chrono::steady_clock::duration limit) {
  if (session_) session_->stream_hold(request_, limit);
}
std::size_t ChunkedStream::queued_bytes() const {
  return session_ ? session_->stream_queued(request_) : 0;
}

}  // namespace bedrock::net
