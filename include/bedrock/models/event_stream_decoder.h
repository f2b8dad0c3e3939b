// Incremental reader of AWS event-stream messages (application/vnd.amazon.eventstream), the
// framing of Bedrock's streaming responses (docs/wire-protocol.md §9.1): bytes go in as the
// transport delivers them, split anywhere, and whole messages come out.
//
// Each message is a 12-byte prelude (total length, headers length, CRC-32 of those 8 bytes),
// typed headers, the payload and a CRC-32 of everything before it. Both CRCs are checked, every
// length is checked against the message and against Limits before anything is buffered, and
// every header value type of the format is read (Bedrock sends strings; a peer may send any).
//
// Messages are handed out as views into the decoder's buffer or the caller's bytes: valid only
// during the callback. An error is final: the stream cannot be resynchronised, so every
// later feed() returns the same error.
//
// Not thread-safe; one decoder per stream. Costs one CRC pass over each byte (core/crc32.h),
// copies only the bytes of a message that arrives split across feed() calls, and allocates
// nothing per message once its buffers have grown to the largest message seen.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "bedrock/core/result.h"

namespace bedrock::models {

enum class EventStreamHeaderType : std::uint8_t {
  BoolTrue = 0,
  BoolFalse = 1,
  Byte = 2,
  Short = 3,
  Integer = 4,
  Long = 5,
  ByteArray = 6,
  String = 7,
  Timestamp = 8,  // milliseconds since the Unix epoch
  Uuid = 9,
};

struct EventStreamHeaderView {
  std::string_view name;
  EventStreamHeaderType type = EventStreamHeaderType::String;
  std::string_view bytes;    // String, ByteArray: the value; Uuid: its 16 bytes; else empty
  std::int64_t integer = 0;  // Byte, Short, Integer, Long, Timestamp; 1/0 for the booleans
};

struct EventStreamMessageView {
  std::span<const EventStreamHeaderView> headers;
  std::string_view payload;

  // The value of a String header, or nullopt when absent or of another type.
  std::optional<std::string_view> string_header(std::string_view name) const;
};

class EventStreamDecoder {
 public:
  // The AWS SDKs' own ceilings (aws-c-event-stream): a peer announcing more is refused before
  // any of it is buffered.
  struct Limits {
    std::size_t max_message_bytes = 16 * 1024 * 1024 + 128 * 1024 + 16;
    std::size_t max_headers_bytes = 128 * 1024;
  };

  // An error returned by the callback stops decoding for good, like a framing error, and
  // feed() returns it as is. The callback must not call feed() on the same decoder.
  using OnMessage = std::function<Status(const EventStreamMessageView&)>;

  EventStreamDecoder() = default;
  explicit EventStreamDecoder(Limits limits) : limits_(limits) {}

  // Decodes every whole message in what was buffered plus `bytes`, calling on_message for each
  // in order, and keeps the incomplete rest. Errors: InvalidResponse naming the problem (CRC
  // mismatch, impossible or over-limit lengths, a malformed header) and its byte offset in the
  // stream; or the callback's error.
  Status feed(std::string_view bytes, const OnMessage& on_message);

  // True when no partial message is buffered: a stream that ends while this is false was cut.
  bool at_message_boundary() const { return buffer_.empty(); }
  std::size_t buffered_bytes() const { return buffer_.size(); }
  std::uint64_t messages_decoded() const { return messages_; }

 private:
  // Decodes one whole, length-checked message starting at `message`.
  Status decode_message(std::string_view message, const OnMessage& on_message);
  // Checks a prelude; returns the message's total length.
  Result<std::size_t> check_prelude(std::string_view prelude);
  Status fail_at(std::string what);

  Limits limits_;
  std::string buffer_;        // the start of a message split across feeds
  std::size_t needed_ = 0;    // total length of the buffered message, once its prelude is in
  std::uint64_t offset_ = 0;  // stream offset of the next undecoded message
  std::uint64_t messages_ = 0;
  std::vector<EventStreamHeaderView> headers_;  // reused between messages
  std::optional<Error> failed_;
};

}  // namespace bedrock::models
