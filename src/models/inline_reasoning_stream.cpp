// Streams of families that write their reasoning inline in the text (DeepSeek-R1's <think>,
// gpt-oss's <reasoning>): one decoder for both, so the held-text bound and the tag search that
// survives chunk boundaries exist once.
#include <fmt/format.h>

#include "stream_support.h"

namespace bedrock::models::detail {
namespace {

// Answer text after the closing tag: the newlines separating it from the reasoning are dropped.
void emit_answer(std::string_view text, StreamState& state, std::vector<StreamEvent>& events) {
  if (!state.answer_begun) {
    const auto first = text.find_first_not_of("\r\n");
    if (first == std::string_view::npos) return;
    text.remove_prefix(first);
    state.answer_begun = true;
  }
  append_text(std::string(text), events);
}

}  // namespace

Status take_inline_reasoning_text(std::string_view text, std::string_view open_tag,
                                  std::string_view close_tag, std::string_view api,
                                  StreamState& state, std::vector<StreamEvent>& events) {
  if (state.past_reasoning) {
    emit_answer(text, state, events);
    return {};
  }
  const std::size_t searched =
      state.held.size() < close_tag.size() ? 0 : state.held.size() - (close_tag.size() - 1);
  state.held += text;
  const auto end = state.held.find(close_tag, searched);
  if (end == std::string::npos) {
    if (state.held.size() > state.limits.max_held_bytes) {
      return fail(ErrorCode::InvalidResponse,
                  fmt::format("{} stream reasoning is longer than the held-text limit", api));
    }
    return {};
  }
  const std::size_t close = end + close_tag.size();
  auto reasoning =
      split_reasoning(std::string_view(state.held).substr(0, close), open_tag, close_tag).first;
  if (!reasoning.empty()) events.emplace_back(ReasoningDelta{0, ReasoningPart::Text, reasoning});
  state.past_reasoning = true;
  const std::string rest = state.held.substr(close);
  state.held.clear();
  emit_answer(rest, state, events);
  return {};
}

}  // namespace bedrock::models::detail
