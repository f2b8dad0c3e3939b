// The OpenAI-style chat shapes shared by Mistral chat, AI21 Jamba and OpenAI gpt-oss
// (docs/wire-protocol.md §7.7, §7.11, §7.13): {"messages":[{"role","content"}]} in,
// {"choices":[{"message":{"content"},"finish_reason"}],"usage"} out.
#pragma once

#include <string_view>
#include <vector>

#include "bedrock/models/stream.h"
#include "codec_support.h"

namespace bedrock::models::detail {

// [{"role":system_role,"content":system}?, {"role":"user"|"assistant","content":...}...]
OJson chat_messages(const Prompt& prompt, std::string_view system_role);

// choices[0].message.content, stop from choices[0].finish_reason (or stop_reason, which the
// AWS Mistral doc names), usage prompt_tokens/completion_tokens when present.
Result<Completion> decode_chat_choice(std::string_view body, std::string_view api);

// finish_reason / stop_reason spellings of the chat shapes.
StopReason chat_stop(std::string_view raw);

// What a stream decoder does with a chunk's text (gpt-oss holds its reasoning back).
using ChatTextSink = Status (*)(std::string_view text, StreamState& state,
                                std::vector<StreamEvent>& events);

// One chat-completion stream chunk: the string at `content` ("/choices/0/delta/content", or
// "/choices/0/message/content" for Mistral chat) through `take` (nullptr: block-0 text), then
// a stop when choices[0] has a finish_reason (or stop_reason), `at_stop` run just before it,
// and the invocation metrics of the last chunk.
Result<std::vector<StreamEvent>> decode_chat_chunk(std::string_view chunk, StreamState& state,
                                                   std::string_view api, const char* content,
                                                   ChatTextSink take = nullptr,
                                                   ChatTextSink at_stop = nullptr);

}  // namespace bedrock::models::detail
