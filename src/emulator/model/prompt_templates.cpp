#include "prompt_templates.h"

#include <fmt/format.h>

#include <algorithm>
#include <initializer_list>

namespace bedrock::emulator::model::detail {
namespace {

enum class Slot { User, Assistant, System, Ignore };

struct Marker {
  std::string_view text;
  Slot slot;
};

void append(Conversation& c, Slot slot, std::string_view segment) {
  std::string text = trim(segment);
  if (text.empty()) return;
  switch (slot) {
    case Slot::User:
      c.turns.push_back({Role::User, std::move(text)});
      break;
    case Slot::Assistant:
      c.turns.push_back({Role::Assistant, std::move(text)});
      break;
    case Slot::System:
      if (!c.system.empty()) c.system += "\n";
      c.system += text;
      break;
    case Slot::Ignore:
      break;
  }
}

// Walks `text` from marker to marker; each segment goes to the slot the preceding marker
// opened (`leading` before the first one).
Conversation split(std::string_view text, std::initializer_list<Marker> markers, Slot leading) {
  Conversation c;
  Slot current = leading;
  std::size_t pos = 0;
  while (pos <= text.size()) {
    std::size_t best = std::string_view::npos;
    const Marker* found = nullptr;
    for (const Marker& m : markers) {
      std::size_t at = text.find(m.text, pos);
      if (at < best) {
        best = at;
        found = &m;
      }
    }
    if (found == nullptr) {
      append(c, current, text.substr(pos));
      break;
    }
    append(c, current, text.substr(pos, best - pos));
    current = found->slot;
    pos = best + found->text.size();
  }
  return c;
}

// Text without any recognised turn is what the user asked.
Conversation or_whole(Conversation c, std::string_view prompt) {
  bool has_user = std::any_of(c.turns.begin(), c.turns.end(),
                              [](const EmulatedTurn& t) { return t.role == Role::User; });
  if (!has_user) {
    c.turns.clear();
    c.system.clear();
    std::string text = trim(prompt);
    if (!text.empty()) c.turns.push_back({Role::User, std::move(text)});
  }
  return c;
}

}  // namespace

std::string trim(std::string_view text) {
  constexpr std::string_view kSpace = " \t\r\n";
  std::size_t begin = text.find_first_not_of(kSpace);
  if (begin == std::string_view::npos) return {};
  std::size_t end = text.find_last_not_of(kSpace);
  return std::string(text.substr(begin, end - begin + 1));
}

Conversation parse_inst_prompt(std::string_view prompt) {
  Conversation c = split(prompt,
                         {{"[INST]", Slot::User},
                          {"[/INST]", Slot::Assistant},
                          {"<s>", Slot::Ignore},
                          {"</s>", Slot::Ignore}},
                         Slot::User);
  // Llama 2 carries the system prompt inside the first [INST] block.
  if (!c.turns.empty() && c.turns.front().role == Role::User) {
    std::string& first = c.turns.front().text;
    std::size_t open = first.find("<<SYS>>");
    std::size_t close = first.find("<</SYS>>");
    if (open != std::string::npos && close != std::string::npos && close > open) {
      c.system = trim(std::string_view(first).substr(open + 7, close - open - 7));
      first = trim(std::string_view(first).substr(close + 8));
      if (first.empty()) c.turns.erase(c.turns.begin());
    }
  }
  return or_whole(std::move(c), prompt);
}

Conversation parse_llama3_prompt(std::string_view prompt) {
  constexpr std::string_view kStart = "<|start_header_id|>";
  constexpr std::string_view kEnd = "<|end_header_id|>";
  constexpr std::string_view kEot = "<|eot_id|>";
  Conversation c;
  std::size_t pos = prompt.find(kStart);
  while (pos != std::string_view::npos) {
    std::size_t role_begin = pos + kStart.size();
    std::size_t role_end = prompt.find(kEnd, role_begin);
    if (role_end == std::string_view::npos) break;
    std::string role = trim(prompt.substr(role_begin, role_end - role_begin));
    std::size_t body_begin = role_end + kEnd.size();
    std::size_t next = prompt.find(kStart, body_begin);
    std::size_t body_end = std::min(prompt.find(kEot, body_begin), next);
    if (body_end == std::string_view::npos) body_end = prompt.size();
    std::string_view body = prompt.substr(body_begin, body_end - body_begin);
    Slot slot = role == "system"      ? Slot::System
                : role == "assistant" ? Slot::Assistant
                                      : Slot::User;  // "user", "ipython" (tool output)
    append(c, slot, body);
    pos = next;
  }
  if (c.turns.empty()) {
    std::string text(prompt);
    for (std::string_view token : {"<|begin_of_text|>", "<|eot_id|>"}) {
      for (auto at = text.find(token); at != std::string::npos; at = text.find(token)) {
        text.erase(at, token.size());
      }
    }
    return or_whole(std::move(c), text);
  }
  return or_whole(std::move(c), prompt);
}

Conversation parse_human_assistant_prompt(std::string_view prompt) {
  std::string text(prompt);
  if (text.rfind("Human:", 0) == 0) text.insert(0, "\n\n");
  Conversation c =
      split(text, {{"\n\nHuman:", Slot::User}, {"\n\nAssistant:", Slot::Assistant}}, Slot::System);
  return or_whole(std::move(c), prompt);
}

Conversation parse_user_bot_prompt(std::string_view prompt, std::string_view bot_label) {
  std::string text = "\n" + std::string(prompt);
  std::string bot = fmt::format("\n{}:", bot_label);
  Conversation c = split(text, {{"\nUser:", Slot::User}, {bot, Slot::Assistant}}, Slot::System);
  return or_whole(std::move(c), prompt);
}

Conversation parse_deepseek_prompt(std::string_view prompt) {
  Conversation c = split(prompt,
                         {{"<｜begin▁of▁sentence｜>", Slot::System},
                          {"<｜end▁of▁sentence｜>", Slot::Ignore},
                          {"<｜User｜>", Slot::User},
                          {"<｜Assistant｜>", Slot::Assistant}},
                         Slot::User);
  // An assistant turn may hold an opened or finished think block; only the answer counts.
  for (auto& turn : c.turns) {
    if (turn.role != Role::Assistant) continue;
    std::size_t close = turn.text.find("</think>");
    if (close != std::string::npos) {
      turn.text = trim(std::string_view(turn.text).substr(close + 8));
    } else if (turn.text.rfind("<think>", 0) == 0) {
      turn.text.clear();
    }
  }
  std::erase_if(c.turns, [](const EmulatedTurn& t) { return t.text.empty(); });
  return or_whole(std::move(c), prompt);
}

}  // namespace bedrock::emulator::model::detail
