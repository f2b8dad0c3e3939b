// The emulator's deterministic "model": a plausible reply built from the prompt itself, so
// demos show sensible text and tests can predict it. Same request -> same bytes.
#include "answer.h"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cctype>

#include "answer_text.h"
#include "reasoning.h"
#include "structured_output.h"
#include "tools.h"

namespace bedrock::emulator::model {
namespace {

using detail::is_space;

// The longest prefix of `text` within `budget` tokens, cut at a word boundary when there is
// one (else mid-word at a code-point boundary).
std::string truncate_to_tokens(const std::string& text, int budget) {
  if (estimate_tokens(text) <= budget) return text;
  std::size_t max_points = static_cast<std::size_t>(std::max(budget, 0)) * 4;
  std::size_t points = 0, cut = 0, last_space = 0;
  for (std::size_t i = 0; i < text.size(); ++i) {
    bool lead = (static_cast<unsigned char>(text[i]) & 0xC0) != 0x80;
    if (lead) {
      if (points == max_points) {
        if (is_space(text[i])) last_space = i;  // the limit falls right after a word
        break;
      }
      ++points;
      if (is_space(text[i])) last_space = i;
    }
    cut = i + 1;  // past the last byte of the last code point taken
  }
  std::string out = text.substr(0, last_space > 0 ? last_space : cut);
  while (!out.empty() && is_space(out.back())) out.pop_back();
  return out;
}

bool reasons_aloud(const EmulatedRequest& request) {
  return request.family == ModelFamily::DeepSeek || request.family == ModelFamily::OpenAiGptOss ||
         request.thinking;
}

}  // namespace

EmulatedAnswer shape_answer(const EmulatedRequest& request, std::string text,
                            std::string reasoning) {
  EmulatedAnswer answer;
  answer.input_tokens = request.input_tokens;
  answer.text = std::move(text);
  answer.reasoning = std::move(reasoning);

  // The earliest stop sequence wins; the sequence itself is not part of the output.
  std::size_t stop_at = std::string::npos;
  for (const auto& seq : request.stop_sequences) {
    if (seq.empty()) continue;
    std::size_t at = answer.text.find(seq);
    if (at < stop_at) {
      stop_at = at;
      answer.stop_sequence = seq;
    }
  }
  if (stop_at != std::string::npos) {
    answer.text.resize(stop_at);
    answer.stop_reason = StopReason::StopSequence;
  }

  int budget = std::max(request.max_tokens, 0);
  int reasoning_tokens = estimate_tokens(answer.reasoning);
  if (reasoning_tokens > budget) {
    answer.reasoning = truncate_to_tokens(answer.reasoning, budget);
    answer.text.clear();
    answer.stop_reason = StopReason::MaxTokens;
  } else if (estimate_tokens(answer.text) > budget - reasoning_tokens) {
    answer.text = truncate_to_tokens(answer.text, budget - reasoning_tokens);
    answer.stop_reason = StopReason::MaxTokens;
  }
  if (answer.stop_reason != StopReason::StopSequence) answer.stop_sequence.clear();
  answer.output_tokens = estimate_tokens(answer.reasoning) + estimate_tokens(answer.text);
  return answer;
}

EmulatedAnswer default_answer(const ModelInfo& /*model*/, const EmulatedRequest& request) {
  if (!request.forced_tool.empty()) return detail::tool_answer(request);
  if (!request.output_schema.empty()) return detail::structured_answer(request);
  std::string_view source = request.prompt_text;
  for (auto it = request.turns.rbegin(); it != request.turns.rend(); ++it) {
    if (it->role == Role::User) {
      source = it->text;
      break;
    }
  }
  std::string reasoning;
  if (reasons_aloud(request)) {
    reasoning = fmt::format(
        "The user sent a request of about {} words. I will answer briefly with the main points.",
        detail::split_words(source).size());
  }
  std::string reply = detail::compose_reply(source);
  if (!request.attachments.empty()) {
    std::string list;
    for (const auto& a : request.attachments) list += (list.empty() ? "" : "; ") + a;
    reply += fmt::format("\n\n(Read: {}.)", list);
  }
  EmulatedAnswer answer = shape_answer(request, std::move(reply), std::move(reasoning));
  if (request.thinking) answer.reasoning_signature = detail::reasoning_signature(answer.reasoning);
  return answer;
}

}  // namespace bedrock::emulator::model
