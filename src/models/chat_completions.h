// The OpenAI-style chat shapes shared by Mistral chat, AI21 Jamba and OpenAI gpt-oss
// (docs/wire-protocol.md §7.7, §7.11, §7.13): {"messages":[{"role","content"}]} in,
// {"choices":[{"message":{"content"},"finish_reason"}],"usage"} out.
#pragma once

#include <string_view>

#include "codec_support.h"

namespace bedrock::models::detail {

// [{"role":system_role,"content":system}?, {"role":"user"|"assistant","content":...}...]
OJson chat_messages(const Prompt& prompt, std::string_view system_role);

// choices[0].message.content, stop from choices[0].finish_reason (or stop_reason, which the
// AWS Mistral doc names), usage prompt_tokens/completion_tokens when present.
Result<Completion> decode_chat_choice(std::string_view body, std::string_view api);

}  // namespace bedrock::models::detail
