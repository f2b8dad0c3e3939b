// Reads one attempt of a streamed answer (InvokeModelWithResponseStream, ConverseStream;
// docs/wire-protocol.md §9) as the transport delivers it: event-stream frames -> typed events ->
// the accumulator and the caller's callback. A non-2xx answer's body is kept (bounded) for the
// error classifier. Private to the runtime; one per attempt.
//
// Events that carry no content (usage, metrics) are held back until the first content event,
// so an attempt that fails before any content reached the caller can still be retried or fall
// back. Runs on the thread driving the transfer; never throws.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "bedrock/core/clock.h"
#include "bedrock/core/result.h"
#include "bedrock/http/transport.h"
#include "bedrock/models/event_stream_decoder.h"
#include "bedrock/models/stream.h"
#include "bedrock/models/stream_decode.h"
#include "bedrock/models/types.h"
#include "bedrock/runtime/invocation.h"

namespace bedrock::runtime {

// A non-2xx body longer than this is cut: the classifier needs only its first JSON object.
inline constexpr std::size_t kMaxStreamErrorBody = 64 * 1024;

class StreamSink final : public http::BodySink {
 public:
  // `converse`: ConverseStream messages; else InvokeModelWithResponseStream chunks of `family`.
  StreamSink(bool converse, models::ModelFamily family, const StreamCallback& on_event,
             const Clock& clock);

  bool on_head(int status, const http::Headers& headers) override;
  bool on_body(std::string_view bytes) override;

  bool head_seen() const { return status_ != 0; }
  int status() const { return status_; }
  const http::Headers& headers() const { return headers_; }
  const std::string& error_body() const { return error_body_; }
  // An in-stream exception (typed) or a malformed stream; the transfer was aborted for it.
  const std::optional<Error>& failure() const { return failure_; }
  // Whether any event reached the caller: from then on the attempt cannot be repeated.
  bool delivered() const { return delivered_; }
  std::optional<SteadyTime> first_event_time() const { return first_event_; }

  // After a 2xx transfer ended cleanly: hands out held events, then the whole answer.
  // Errors: InvalidResponse when the stream was cut (mid-frame, or without a stop).
  Result<models::Completion> finish();
  // The answer so far (text delivered), for a failure after delivery.
  models::Completion partial() const { return accumulator_.completion(); }

 private:
  Status on_message(const models::EventStreamMessageView& message);
  void deliver(const models::StreamEvent& event);

  bool converse_;
  const StreamCallback& on_event_;
  const Clock& clock_;
  models::EventStreamDecoder decoder_;
  models::InvokeStreamDecoder invoke_decoder_;
  models::StreamAccumulator accumulator_;
  std::vector<models::StreamEvent> held_;
  int status_ = 0;
  http::Headers headers_;
  std::string error_body_;
  std::optional<Error> failure_;
  bool delivered_ = false;
  std::optional<SteadyTime> first_event_;
};

}  // namespace bedrock::runtime
