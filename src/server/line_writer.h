// Lines for a file descriptor (the access log on stderr), written by a thread of their own so
// that a slow or stalled reader of that descriptor never holds up a request. append() only
// copies into a bounded buffer; the writer thread writes a batch out flush_interval after its
// first line (at once when it holds wake_at bytes), whole lines only, at most PIPE_BUF
// bytes per write(2): such a write to a pipe is atomic, so lines others write to the same
// descriptor (the error log) never land inside ours. A full buffer drops lines and counts them.
//
// The destructor writes out what is buffered, for at most close_timeout; a reader that still
// takes nothing then loses the rest, and the thread is left to end on its own (it owns its
// state and a duplicate of the descriptor), so shutting down never waits on the reader and the
// owner may close its descriptor whenever it likes.
#pragma once

#include <unistd.h>

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string_view>

namespace bedrock::server {

class LineWriter {
 public:
  struct Options {
    int fd = STDERR_FILENO;
    std::size_t max_buffered = std::size_t{4} << 20;
    std::size_t wake_at = std::size_t{32} << 10;
    std::chrono::milliseconds flush_interval{50};
    std::chrono::milliseconds close_timeout{1000};
  };

  explicit LineWriter(Options options);
  ~LineWriter();
  LineWriter(const LineWriter&) = delete;
  LineWriter& operator=(const LineWriter&) = delete;

  // Any thread. `line` without its newline; never blocks on the descriptor.
  void append(std::string_view line);
  // Lines dropped so far because the buffer was full or the descriptor failed.
  std::uint64_t dropped() const;

  struct State;

 private:
  std::shared_ptr<State> state_;
};

}  // namespace bedrock::server
