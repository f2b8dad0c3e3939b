// The emulator's prompt-string parsers (Llama 2/Mistral [INST], Llama 3 headers,
// Human/Assistant, User/Bot, DeepSeek): they recover turns from a prompt a client wrote.
// Every parser is total, so each must return at least one turn for any text.
#include "emulator/model/prompt_templates.h"
#include "fuzz_check.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  namespace d = bedrock::emulator::model::detail;
  const std::string_view prompt = bedrock::fuzz::as_text(data, size);
  for (const auto& conversation :
       {d::parse_inst_prompt(prompt), d::parse_llama3_prompt(prompt),
        d::parse_human_assistant_prompt(prompt), d::parse_user_bot_prompt(prompt),
        d::parse_user_bot_prompt(prompt, "Chatbot"), d::parse_deepseek_prompt(prompt)}) {
    std::size_t text_bytes = conversation.system.size();
    for (const auto& turn : conversation.turns) text_bytes += turn.text.size();
    FUZZ_CHECK(text_bytes <= prompt.size());
  }
  (void)d::trim(prompt);
  return 0;
}
