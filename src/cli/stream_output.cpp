#include "stream_output.h"

#include <variant>

namespace bedrock::cli {

std::size_t complete_utf8_prefix(std::string_view bytes) {
  // A sequence is at most 4 bytes, so only the last 3 can start an unfinished one.
  const std::size_t n = bytes.size();
  for (std::size_t back = 1; back <= 3 && back <= n; ++back) {
    const auto c = static_cast<unsigned char>(bytes[n - back]);
    if ((c & 0xC0) == 0x80) continue;  // continuation: look further back for its lead byte
    std::size_t need = 1;
    if ((c & 0xE0) == 0xC0) {
      need = 2;
    } else if ((c & 0xF0) == 0xE0) {
      need = 3;
    } else if ((c & 0xF8) == 0xF0) {
      need = 4;
    }
    return back < need ? n - back : n;
  }
  return n;
}

void AnswerStream::on_call_start(const content::TaskCall& call) {
  if (on_start_) on_start_(call);
}

void AnswerStream::on_text(std::string_view piece) {
  answer_bytes_ += piece.size();
  held_.append(piece);
  const std::size_t complete = complete_utf8_prefix(held_);
  write(std::string_view(held_).substr(0, complete));
  held_.erase(0, complete);
}

runtime::StreamCallback AnswerStream::callback() {
  return [this](const models::StreamEvent& event) {
    if (const auto* delta = std::get_if<models::TextDelta>(&event)) on_text(delta->text);
  };
}

void AnswerStream::print(std::string_view text, bool on_new_line) {
  // A character cut at the end of the answer will not be completed by our own text.
  write(held_);
  held_.clear();
  if (on_new_line && wrote_ && last_ != '\n') write("\n");
  write(text);
}

void AnswerStream::end() {
  write(held_);
  held_.clear();
  if (!wrote_ || last_ != '\n') write("\n");
}

void AnswerStream::write(std::string_view bytes) {
  if (bytes.empty()) return;
  std::fwrite(bytes.data(), 1, bytes.size(), out_);
  std::fflush(out_);
  wrote_ = true;
  last_ = bytes.back();
}

void add_stream_flags(CLI::App* cmd, StreamFlags& flags, bool terminal_default) {
  auto* on = cmd->add_flag("--stream", flags.stream,
                           terminal_default
                               ? "Print the answer as it arrives, also into a pipe (default on "
                                 "a terminal)"
                               : "Print the answer as it arrives");
  auto* off =
      cmd->add_flag("--no-stream", flags.no_stream, "Print the answer only once it is complete");
  on->excludes(off);
}

bool stream_wanted(const StreamFlags& flags, bool json, bool terminal_default,
                   bool stdout_is_terminal) {
  if (json || flags.no_stream) return false;
  if (flags.stream) return true;
  return terminal_default && stdout_is_terminal;
}

}  // namespace bedrock::cli
