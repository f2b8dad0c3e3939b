// Reads one streamed answer from the emulator and notes when each event-stream message had
// fully arrived, for the tests of pacing and of in-stream faults. HTTP/1.1 on a fresh
// connection, chunked or Content-Length bodies, a deadline on the whole exchange.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <vector>

#include "fakes/event_stream_reader.h"

namespace bedrock::emulator::testing {

using Millis = std::chrono::duration<double, std::milli>;

struct TimedStream {
  int status = 0;
  bool chunked = false;
  bool completed = false;          // the body ended as HTTP says it should
  bool closed_early = false;       // the peer closed (or reset) before the body's end
  bool timed_out = false;          // the deadline passed first
  Millis head_at{};                // from the request's last byte written to the response head
  std::vector<Millis> message_at;  // when each whole message had arrived, same clock
  std::string body;                // the raw event-stream bytes
  bedrock::testing::EventStreamRead read;  // `body` decoded by the test's own reader

  std::string message_type(std::size_t i) const {
    return read.messages.at(i).headers.at(":message-type");
  }
};

// POSTs `body` to `path` on 127.0.0.1:`port` and reads the answer until it ends, the peer
// closes, or `deadline` passes.
TimedStream stream_call(std::uint16_t port, const std::string& path, const std::string& body,
                        std::chrono::milliseconds deadline = std::chrono::seconds(10));

}  // namespace bedrock::emulator::testing
