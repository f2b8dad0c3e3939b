// Answers of POST /v1/chat/completions in OpenAI's shapes: the whole chat.completion object and
// the error body. Pure functions; thread-safe; no I/O. Bodies are written as text in OpenAI's
// member order (no DOM on the hot path).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "bedrock/models/types.h"
#include "bedrock/runtime/invocation.h"

namespace bedrock::server::openai {

// What every answer to one request repeats.
struct ChatIdentity {
  std::string id;        // "chatcmpl-..."
  std::int64_t created;  // Unix seconds
  std::string model;     // as the caller named it
};

// stop / length / tool_calls / content_filter.
std::string_view finish_reason(models::StopReason reason);

// {"prompt_tokens","completion_tokens","total_tokens","prompt_tokens_details":{"cached_tokens"}}.
// OpenAI's prompt_tokens include cached ones; Bedrock's input tokens exclude cache reads and
// writes, so they are added back.
void append_usage(std::string& out, const models::TokenUsage& usage);

// The chat.completion object: choices[0].message with content (null when the answer is only tool
// calls), tool_calls (id, type function, function.name, function.arguments as a JSON string),
// reasoning_content when the model reasoned; finish_reason; usage.
std::string chat_completion_json(const ChatIdentity& identity, const models::Completion& answer);

// {"error":{"message","type","param","code"}}; an empty param or code is null.
std::string error_json(std::string_view message, std::string_view type, std::string_view param,
                       std::string_view code);

}  // namespace bedrock::server::openai
