// Event-stream messages (EventStreamDecoder's output) -> StreamEvents, for the two streaming
// operations (docs/wire-protocol.md §9.3, §9.4). Pure; no I/O.
//
// Every function: an `exception` message (or a generic `error` message) becomes one
// StreamFailure event, not an error return: the stream reported it, the bytes were fine.
// A malformed message (no :message-type, a payload over the limits, not JSON, nested too
// deep, a documented member of the wrong type) is an InvalidResponse error return. Invalid
// UTF-8 inside a payload is replaced by U+FFFD instead of refusing the whole stream. Unknown
// events and unknown members (Bedrock's "p" padding) are ignored. Nothing throws.
#pragma once

#include <string_view>
#include <vector>

#include "bedrock/core/result.h"
#include "bedrock/models/event_stream_decoder.h"
#include "bedrock/models/stream.h"
#include "bedrock/models/types.h"

namespace bedrock::models {

// An in-stream exception as the typed error (docs/wire-protocol.md §2.4): throttlingException ->
// Throttling, modelStreamErrorException -> ModelStreamError (original_status and the
// originalMessage in the message), validationException -> Validation, internalServerException
// -> InternalServer, serviceUnavailableException -> ServiceUnavailable, modelTimeoutException
// -> ModelTimeout, anything else -> Unknown; retryable as the same error outside a stream.
Error stream_exception_error(std::string_view exception_type, std::string_view payload);

// ConverseStream: one message -> its events (messageStart yields none).
Result<std::vector<StreamEvent>> decode_converse_stream_message(
    const EventStreamMessageView& message, const StreamLimits& limits = {});

// Whether InvokeModelWithResponseStream can be decoded for the family: the families whose chunk
// shape docs/wire-protocol.md §7 states (Anthropic Messages and text, Titan text, Nova, Llama 2/3,
// Mistral text, DeepSeek). Cohere, Mistral chat, Jamba and gpt-oss are not (their stream shape is
// unverified), nor AI21 Jurassic-2 (Bedrock does not stream it).
bool supports_invoke_stream(ModelFamily family);

// InvokeModelWithResponseStream: unwraps each `chunk` event ({"bytes": base64}) and hands the
// native chunk to the family's codec (ModelCodec::decode_stream_chunk). One per stream.
class InvokeStreamDecoder {
 public:
  explicit InvokeStreamDecoder(ModelFamily family, StreamLimits limits = {});

  // Errors: InvalidResponse as above; Validation for a family that does not stream.
  Result<std::vector<StreamEvent>> decode(const EventStreamMessageView& message);

 private:
  ModelFamily family_;
  StreamState state_;
};

}  // namespace bedrock::models
