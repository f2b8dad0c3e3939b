#include "stream_sink.h"

#include <type_traits>

namespace bedrock::runtime {
namespace {

bool is_content(const models::StreamEvent& event) {
  return !std::holds_alternative<models::UsageUpdate>(event) &&
         !std::holds_alternative<models::StreamMetrics>(event);
}

}  // namespace

StreamSink::StreamSink(bool converse, models::ModelFamily family, const StreamCallback& on_event,
                       const Clock& clock)
    : converse_(converse), on_event_(on_event), clock_(clock), invoke_decoder_(family) {}

bool StreamSink::on_head(int status, const http::Headers& headers) {
  status_ = status;
  headers_ = headers;
  return true;
}

bool StreamSink::on_body(std::string_view bytes) {
  if (status_ < 200 || status_ >= 300) {
    const std::size_t room = kMaxStreamErrorBody - error_body_.size();
    error_body_.append(bytes.substr(0, room));
    return true;
  }
  if (failure_) return false;
  auto st = decoder_.feed(
      bytes, [this](const models::EventStreamMessageView& m) { return on_message(m); });
  if (!st) {
    if (!failure_) failure_ = st.error();
    return false;
  }
  return true;
}

Status StreamSink::on_message(const models::EventStreamMessageView& message) {
  auto events =
      converse_ ? models::decode_converse_stream_message(message) : invoke_decoder_.decode(message);
  if (!events) return fail(events.error());
  for (const auto& event : *events) {
    if (const auto* failure = std::get_if<models::StreamFailure>(&event)) {
      failure_ = failure->error;
      return fail(failure->error);
    }
    accumulator_.add(event);
    if (!delivered_ && !is_content(event)) {
      held_.push_back(event);
      continue;
    }
    deliver(event);
  }
  return {};
}

void StreamSink::deliver(const models::StreamEvent& event) {
  if (!delivered_) {
    delivered_ = true;
    first_event_ = clock_.steady();
    for (const auto& held : held_) on_event_(held);
    held_.clear();
  }
  on_event_(event);
}

Result<models::Completion> StreamSink::finish() {
  if (!decoder_.at_message_boundary()) {
    return fail(ErrorCode::InvalidResponse,
                "the response stream ended in the middle of an event-stream message");
  }
  auto done = accumulator_.finish();
  if (done) {
    // A stream without content (an empty answer) still hands over its stop and usage.
    for (const auto& held : held_) on_event_(held);
    held_.clear();
  }
  return done;
}

}  // namespace bedrock::runtime
