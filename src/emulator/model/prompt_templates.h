// Prompt-string families (Claude text completions, Titan, Llama, Mistral text, DeepSeek) put
// the whole conversation in one string with the chat template of docs/wire-protocol.md §7. These
// parsers recover the turns so the emulator answers the last user turn, not the template markup.
// Every parser is total: text without the markers becomes one user turn.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "request.h"

namespace bedrock::emulator::model::detail {

struct Conversation {
  std::string system;
  std::vector<EmulatedTurn> turns;
};

// "<s>[INST] <<SYS>>\n{system}\n<</SYS>>\n\n{u1} [/INST] {a1} </s><s>[INST] {u2} [/INST]"
// (Llama 2 chat; Mistral text uses the same markers without <<SYS>>).
Conversation parse_inst_prompt(std::string_view prompt);

// "<|begin_of_text|><|start_header_id|>{role}<|end_header_id|>\n\n{text}<|eot_id|>..."
Conversation parse_llama3_prompt(std::string_view prompt);

// "{system}\n\nHuman: {u1}\n\nAssistant: {a1}\n\nHuman: {u2}\n\nAssistant:"
Conversation parse_human_assistant_prompt(std::string_view prompt);

// "{system}\n\nUser: {u1}\nBot: {a1}\nUser: {u2}\nBot:" (Titan chat style; Cohere Command
// and Jurassic-2 transcripts use "Chatbot" as the bot label).
Conversation parse_user_bot_prompt(std::string_view prompt, std::string_view bot_label = "Bot");

// "<｜begin▁of▁sentence｜>{system}<｜User｜>{u1}<｜Assistant｜>{a1}<｜end▁of▁sentence｜>
//  <｜User｜>{u2}<｜Assistant｜><think>\n"
Conversation parse_deepseek_prompt(std::string_view prompt);

std::string trim(std::string_view text);

}  // namespace bedrock::emulator::model::detail
