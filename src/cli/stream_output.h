// Printing an answer as it arrives: each piece written and flushed at once, never cutting a
// UTF-8 character in two (a piece may end inside one), and the line ended as the whole-answer
// output ends it. Also the --stream / --no-stream choice.
#pragma once

#include <CLI/CLI.hpp>
#include <cstddef>
#include <cstdio>
#include <functional>
#include <string>
#include <string_view>

#include "bedrock/content/generation.h"
#include "bedrock/runtime/invocation.h"

namespace bedrock::cli {

// Length of the longest prefix of `bytes` that does not end inside a multi-byte UTF-8
// sequence: a trailing lead byte whose continuation bytes have not all arrived is held back.
// Invalid bytes are not held (they would never complete).
std::size_t complete_utf8_prefix(std::string_view bytes);

// Not thread-safe: one call streams at a time (content::TextSink's contract).
class AnswerStream final : public content::TextSink {
 public:
  explicit AnswerStream(std::FILE* out = stdout) : out_(out) {}

  // Runs before each streamed call (e.g. to end a progress bar or print a post's heading).
  void set_on_call_start(std::function<void(const content::TaskCall&)> hook) {
    on_start_ = std::move(hook);
  }
  void on_call_start(const content::TaskCall& call) override;
  // Writes the complete characters of `held + piece` and flushes; at most 3 bytes stay held.
  void on_text(std::string_view piece) override;
  // The same for a runtime stream: text deltas only (reasoning is not the answer).
  runtime::StreamCallback callback();

  // Writes text that is not the model's (headings, notes), starting on a fresh line if asked.
  void print(std::string_view text, bool on_new_line = false);
  // Writes what is held and ends the line: a newline unless the output already ends with one
  // (also when nothing was written, as the whole-answer output prints an empty line).
  void end();

  std::size_t answer_bytes() const { return answer_bytes_; }

 private:
  void write(std::string_view bytes);

  std::FILE* out_;
  std::function<void(const content::TaskCall&)> on_start_;
  std::string held_;
  std::size_t answer_bytes_ = 0;
  bool wrote_ = false;
  char last_ = '\0';
};

struct StreamFlags {
  bool stream = false;
  bool no_stream = false;
};

// --stream / --no-stream on `cmd`. `terminal_default`: whether the command streams to a
// terminal without being asked (the content commands) or only with --stream (invoke).
void add_stream_flags(CLI::App* cmd, StreamFlags& flags, bool terminal_default);

// --json never streams (it prints one document); --no-stream wins, --stream forces it (pipes
// too); otherwise a terminal on stdout decides, for commands that stream by default.
bool stream_wanted(const StreamFlags& flags, bool json, bool terminal_default,
                   bool stdout_is_terminal);

}  // namespace bedrock::cli
