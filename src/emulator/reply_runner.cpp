#include "reply_runner.h"

#include <memory>
#include <utility>

namespace bedrock::emulator {

namespace {

// A paced stream (StreamPlan): the head goes with the first event, then one event per gap,
// each an HTTP chunk; the next gap starts when the previous event has been written. A fault
// may cut the stream after `cut_after` events. Owned by the callbacks it leaves with the
// connection, which the connection drops when the stream ends.
class PacedStream : public std::enable_shared_from_this<PacedStream> {
 public:
  PacedStream(net::ChunkedStream stream, std::shared_ptr<StreamPlan> plan, Duration stall_timeout)
      : stream_(std::move(stream)),
        plan_(std::move(plan)),
        cut_(plan_->cut),
        stall_timeout_(stall_timeout) {}

  void step() {
    const StreamPlan& plan = *plan_;
    if (cut_ != StreamPlan::Cut::None && next_ == plan.cut_after) return cut();
    if (next_ < plan.events.size()) {
      stream_.write(plan.events[next_]);
      head_sent_ = true;
      stream_.on_drained([self = shared_from_this()] { self->on_event_written(); });
      return;
    }
    stream_.finish();
  }

 private:
  void on_event_written() {
    const StreamPlan& plan = *plan_;
    ++next_;
    const bool more = next_ < plan.events.size() || cut_ != StreamPlan::Cut::None;
    if (!more || plan.gap <= Duration::zero()) return step();
    stream_.after(plan.gap, [self = shared_from_this()] { self->step(); });
  }

  void cut() {
    switch (cut_) {
      case StreamPlan::Cut::Exception:
        stream_.write(plan_->exception_event);
        stream_.finish();
        return;
      case StreamPlan::Cut::Drop:
        if (!head_sent_) return after_head();
        return stream_.close();
      case StreamPlan::Cut::Stall:
        if (!head_sent_) return after_head();
        if (plan_->stall <= Duration::zero()) return stream_.hold(stall_timeout_);
        cut_ = StreamPlan::Cut::None;  // the stream resumes after the pause
        return stream_.after(plan_->stall, [self = shared_from_this()] { self->step(); });
      case StreamPlan::Cut::None:
        return step();
    }
  }

  // The head alone, then the cut again.
  void after_head() {
    head_sent_ = true;
    stream_.flush();
    stream_.on_drained([self = shared_from_this()] { self->cut(); });
  }

  net::ChunkedStream stream_;
  std::shared_ptr<StreamPlan> plan_;
  StreamPlan::Cut cut_;
  Duration stall_timeout_;
  std::size_t next_ = 0;
  bool head_sent_ = false;
};

void act(Reply& reply, net::Responder responder, Duration stall_timeout) {
  switch (reply.action) {
    case ReplyAction::Respond:
      return responder.send(std::move(reply.response));
    case ReplyAction::Drop:
      return responder.close();
    case ReplyAction::Truncate: {
      const std::size_t half = reply.response.body().size() / 2;
      return responder.send_partial(std::move(reply.response), half);
    }
    case ReplyAction::Stall:
      return responder.hold(stall_timeout);
    case ReplyAction::Stream: {
      auto plan = std::move(reply.stream);
      net::ChunkedStream stream = responder.stream(std::move(reply.response));
      if (!stream || !plan) return;
      std::make_shared<PacedStream>(std::move(stream), std::move(plan), stall_timeout)->step();
      return;
    }
  }
}

}  // namespace

void run_reply(Reply reply, net::Responder responder, Duration stall_timeout) {
  if (reply.delay > Duration::zero()) {
    const Duration delay = reply.delay;
    responder.after(delay, [reply = std::move(reply), stall_timeout](net::Responder later) mutable {
      act(reply, std::move(later), stall_timeout);
    });
    return;
  }
  act(reply, std::move(responder), stall_timeout);
}

}  // namespace bedrock::emulator
